"""Security events reach the log with who, when and the request's id, and never a
password or a resident ID number."""

import io
import logging

import pytest
from django.test import Client
from django.urls import reverse

from cunqi.api import tokens
from cunqi.core.security import Redact, RequestId
from tests.exchange.test_import import check, filled
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    """The security log as the console shows it (the platform's filters and format)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestId())
    handler.addFilter(Redact())
    handler.setFormatter(logging.Formatter("%(asctime)s [%(request_id)s] %(message)s"))
    logger = logging.getLogger("cunqi.security")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


@pytest.fixture
def world():
    side = build_side("A")
    return side, build_users(side)


def test_sign_ins_name_the_user_and_request_but_never_the_password(world, log):
    _side, users = world
    officer = users["town"]
    officer.set_password("kW9#villages-and-enterprises")
    officer.save()
    client = Client()
    failed = client.post(
        "/accounts/login/", {"username": officer.username, "password": "Secret#Guess-1"}
    )
    client.post(
        "/accounts/login/",
        {"username": officer.username, "password": "kW9#villages-and-enterprises"},
    )
    lines = log.getvalue().splitlines()
    assert any("login.failure" in line and f"username={officer.username}" in line for line in lines)
    assert any(
        "login.success" in line and f"user={officer.username}#{officer.pk}" in line
        for line in lines
    )
    assert f"[{failed['X-Request-ID']}]" in log.getvalue()
    assert "Secret#Guess-1" not in log.getvalue() and "kW9#" not in log.getvalue()


def test_refusals_on_pages_and_api_are_logged(world, log):
    side, users = world
    client = Client()
    client.force_login(users["village"])
    assert client.get(reverse("registry:zone_add")).status_code == 403
    _token, key = tokens.create(users["village"], "t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert (
        api.patch(
            f"/api/v1/registry/zone/{side.zone.pk}/", "{}", content_type="application/json"
        ).status_code
        == 403
    )
    denied = [line for line in log.getvalue().splitlines() if "permission.denied" in line]
    assert len(denied) == 2 and all(users["village"].username in line for line in denied)


def test_reads_of_household_payments_imports_and_exports_are_logged(world, log):
    side, users = world
    client = Client()
    client.force_login(users["town"])
    client.get(side.distribution.get_absolute_url())
    client.get(reverse("benefits:household_statement", args=[side.household.pk, 2024]))
    client.get(reverse("benefits:employment_export"))
    client.get(reverse("exchange:export", args=["households"]))
    check("villages", filled("villages", []), users["town"])
    _token, key = tokens.create(users["town"], "t")
    Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/benefits/employment/")
    text = log.getvalue()
    assert "read.payments" in text and "model=benefits.Distribution action=detail" in text
    assert "model=registry.Household action=statement" in text
    assert "model=benefits.Employment action=export" in text
    assert "model=benefits.Employment action=list" in text
    assert "export user=" in text and "kind=households" in text
    assert "import.check" in text and "kind=villages" in text


def test_resident_id_numbers_are_masked_in_any_log_line(log):
    logging.getLogger("cunqi.security").info("head of household 61088119900101123X moved")
    assert "61088119900101123X" not in log.getvalue()
    assert "610881************ moved" in log.getvalue()
