"""One rule, one refusal: the same bad value sent through the page's form, the Excel
import and the API is refused by each at the same field, in the same words, and nothing
is written. (The rules are the models' validators, which all three run.)"""

import json

import pytest
from django.utils import translation

import cunqi.urls  # noqa: F401  (fills REGISTRY with the pages)
from cunqi.api import tokens
from cunqi.core.views import REGISTRY
from cunqi.registry.models import Enterprise, Household, Village
from tests import factories
from tests.exchange.test_import import check, filled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def enterprise_values(world, uscc="91610881MA70000002"):
    industry = factories.EnterpriseFactory().industry
    form = {
        "uscc": uscc,
        "name": "示例",
        "ownership": "private",
        "industry": industry.pk,
        "village_capacity": 1,
    }
    row = [uscc, "示例", "private", industry.name_zh, 1]
    return form, row


def household_values(world, members=3):
    village = world["village"]
    form = {"village": village.pk, "number": "001", "head_name": "张三", "members": members}
    row = [village.code, "", "001", "张三", members]
    return form, row


def village_values(world, code="610881100209"):
    form = {
        "town": world["village"].town.pk,
        "code": code,
        "name": "新村",
        "population": 100,
        "household_count": 30,
    }
    row = [world["village"].town.name, code, "新村"]
    return form, row


# (model, exchange kind, field, column header, builder of (form data, template row))
CASES = [
    pytest.param(
        Village,
        "villages",
        "code",
        "village code",
        lambda w: village_values(w, code="12AB"),
        id="village code not digits",
    ),
    pytest.param(
        Enterprise,
        "enterprises",
        "uscc",
        "unified social credit code",
        lambda w: enterprise_values(w, uscc="91610881MA70000000"),
        id="USCC check digit",
    ),
    pytest.param(
        Household,
        "households",
        "members",
        "members",
        lambda w: household_values(w, members=0),
        id="household without members",
    ),
]


@pytest.fixture
def world():
    village = factories.VillageFactory(code="610881100201")
    return {
        "village": village,
        "user": factories.UserFactory(role="taskforce"),
    }


@pytest.mark.parametrize(("model", "kind", "field", "column", "values"), CASES)
def test_the_same_bad_value_gets_the_same_refusal_everywhere(
    world, model, kind, field, column, values
):
    data, row = values(world)
    before = model.objects.count()

    form = REGISTRY[model].form(data, user=world["user"])
    assert not form.is_valid()
    from_form = form.errors[field]

    _token, key = tokens.create(world["user"], "bad input")
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    name = model._meta.model_name
    answer = api.post(
        f"/api/v1/{model._meta.app_label}/{name}/",
        json.dumps(data),
        content_type="application/json",
    )
    assert answer.status_code == 400, answer.content
    from_api = answer.json()["errors"][field]

    outcome = check(kind, filled(kind, [row]), world["user"], commit=True)
    from_import = [error.message for error in outcome.errors if error.column == column]

    assert from_form == from_api == from_import, (from_form, from_api, from_import)
    assert not outcome.committed and model.objects.count() == before


@pytest.mark.parametrize("year", ["0", "10000", "2026.5"])
@pytest.mark.parametrize(
    ("page", "endpoint"),
    [
        ("/projects/investment/", "/api/v1/projects/investment/"),
        ("/talent/training/", "/api/v1/talent/training/"),
    ],
)
def test_a_year_no_date_can_hold_is_refused_not_a_server_error(world, year, page, endpoint):
    from django.test import Client

    _token, key = tokens.create(world["user"], "bad year")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    assert api.get(endpoint, {"year": year}).status_code == 400
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(world["user"])
    response = browser.get(page, {"year": year})
    assert response.status_code < 500
