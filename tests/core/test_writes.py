"""Writing through the pages: scope is enforced on posted ids, bad input is refused at
its field in the user's language, nothing is half-saved, and every change is recorded."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cunqi.core.models import CooperationModel, Industry
from cunqi.pairing.models import Pairing
from cunqi.projects.models import Investment, Project
from cunqi.registry.models import Enterprise, Household
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


@pytest.fixture
def world(db):
    a, b = build_side("A"), build_side("B")
    return a, b, build_users(a)


def client_for(user, language="zh-hans") -> Client:
    client = language_client(language)
    client.force_login(user)
    return client


def project_data(villages, enterprises, **overrides) -> dict:
    data = {
        "code": "NEW-1",
        "name": "新项目",
        "villages": [v.pk for v in villages],
        "enterprises": [e.pk for e in enterprises],
        "cooperation_models": [CooperationModel.objects.get(code="orders").pk],
        "industry": Industry.objects.get(code="processing").pk,
        "status": "planned",
        "planned_investment": "1000000.00",
        "start_date": "2025-01-01",
    }
    data.update(overrides)
    return data


def test_town_creates_a_project_in_its_town_and_history_records_it(world):
    a, _b, users = world
    response = client_for(users["town"]).post(
        reverse("projects:project_add"), project_data([a.village], [a.enterprise])
    )
    assert response.status_code == 302
    project = Project.objects.get(code="NEW-1")
    # One write, one entry: the row and its many-to-many links, naming the rows.
    [created] = LogEntry.objects.get_for_object(project)
    assert (created.action, created.actor) == (LogEntry.Action.CREATE, users["town"])
    changes = created.changes_dict
    assert {"villages", "enterprises", "cooperation_models"} <= set(changes)
    assert changes["villages"] == ["", str(a.village)]
    assert "name" in changes


def test_town_cannot_attach_another_towns_village_by_posting_its_id(world):
    a, b, users = world
    response = client_for(users["town"]).post(
        reverse("projects:project_add"), project_data([a.village, b.village], [a.enterprise])
    )
    assert response.status_code == 400
    assert "villages" in response.context["form"].errors
    assert not Project.objects.filter(code="NEW-1").exists()


def test_village_cannot_add_a_household_to_another_village(world):
    _a, b, users = world
    before = Household.objects.count()
    response = client_for(users["village"]).post(
        reverse("registry:household_add"),
        {"village": b.village.pk, "number": "900", "head_name": "某某", "members": 3},
    )
    assert response.status_code == 400
    assert "village" in response.context["form"].errors
    assert Household.objects.count() == before


def test_edit_is_recorded_with_before_and_after(world):
    a, _b, users = world
    client = client_for(users["town"])
    data = {
        "town": a.town.pk,
        "code": a.village.code,
        "name": a.village.name,
        "population": 4321,
        "household_count": a.village.household_count,
    }
    assert (
        client.post(reverse("registry:village_edit", args=[a.village.pk]), data).status_code == 302
    )
    entry = LogEntry.objects.get_for_object(a.village).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["population"] == ["1000", "4321"]
    page = client.get(a.village.get_absolute_url()).content.decode()
    assert "4321" in page and "1000" in page


def test_delete_is_recorded(world):
    a, _b, users = world
    household_pk = factories.HouseholdFactory(village=a.village).pk
    client = client_for(users["village"])
    assert client.post(reverse("registry:household_delete", args=[household_pk])).status_code == 302
    assert not Household.objects.filter(pk=household_pk).exists()
    assert LogEntry.objects.filter(
        object_pk=str(household_pk), action=LogEntry.Action.DELETE, actor=users["village"]
    ).exists()


def test_deleting_a_row_still_in_use_is_refused_with_a_message(world):
    a, _b, users = world
    client = client_for(users["taskforce"])
    response = client.post(reverse("registry:village_delete", args=[a.village.pk]), follow=True)
    assert response.status_code == 200
    assert "无法删除" in response.content.decode()


# — bad input: a clear message at the field, in the user's language, nothing saved —

BAD_ENTERPRISES = [
    ({"uscc": "91350100M000100Y44"}, "uscc", "校验码", "check character"),
    ({"uscc": "123"}, "uscc", "18位", "18 characters"),
    ({"village_capacity": "0"}, "village_capacity", "", ""),
]


@pytest.mark.parametrize(("overrides", "field", "zh", "en"), BAD_ENTERPRISES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_bad_enterprise_input(world, overrides, field, zh, en, language):
    _a, _b, users = world
    data = {
        "uscc": "91350100M000100Y43",
        "name": "新企业",
        "ownership": "private",
        "industry": Industry.objects.get(code="processing").pk,
        "village_capacity": "1",
        **overrides,
    }
    before = Enterprise.objects.count()
    response = client_for(users["taskforce"], language).post(
        reverse("registry:enterprise_add"), data
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    message = " ".join(errors[field])
    assert (zh if language == "zh-hans" else en) in message
    assert Enterprise.objects.count() == before


def test_negative_money_is_refused(world):
    a, _b, users = world
    response = client_for(users["taskforce"]).post(
        reverse("projects:investment_add"),
        {
            "project": a.project.pk,
            "month": "2025-02",
            "source": "enterprise",
            "planned_amount": "-1.00",
            "completed_amount": "0",
        },
    )
    assert response.status_code == 400
    assert "planned_amount" in response.context["form"].errors
    assert not Investment.objects.filter(month=date(2025, 2, 1)).exists()


def test_money_with_more_than_two_places_is_refused(world):
    a, _b, users = world
    response = client_for(users["taskforce"]).post(
        reverse("projects:investment_add"),
        {
            "project": a.project.pk,
            "month": "2025-02",
            "source": "enterprise",
            "planned_amount": "1.001",
            "completed_amount": "0",
        },
    )
    assert "planned_amount" in response.context["form"].errors


def test_month_is_stored_as_its_first_day(world):
    a, _b, users = world
    response = client_for(users["taskforce"]).post(
        reverse("projects:investment_add"),
        {
            "project": a.project.pk,
            "month": "2025-02",
            "source": "enterprise",
            "planned_amount": "12.30",
            "completed_amount": "4.56",
        },
    )
    assert response.status_code == 302
    investment = Investment.objects.get(project=a.project, month=date(2025, 2, 1))
    assert investment.completed_amount == Decimal("4.56")


def test_end_before_start_is_refused_at_the_end_field(world):
    a, _b, users = world
    response = client_for(users["town"], "en").post(
        reverse("pairing:pairing_add"),
        {
            "village": a.village.pk,
            "enterprise": factories.EnterpriseFactory().pk,
            "start_date": "2024-05-01",
            "end_date": "2024-04-30",
            "status": "proposed",
        },
    )
    assert response.status_code == 400
    assert "The end cannot be before the start." in response.context["form"].errors["end_date"]


def test_a_second_open_pairing_of_the_same_two_is_refused(world):
    a, _b, users = world
    response = client_for(users["town"]).post(
        reverse("pairing:pairing_add"),
        {
            "village": a.village.pk,
            "enterprise": a.enterprise.pk,
            "start_date": "2024-05-01",
            "status": "active",
        },
    )
    assert response.status_code == 400
    assert Pairing.objects.filter(village=a.village, enterprise=a.enterprise).count() == 1


def test_status_jump_is_refused(world):
    a, _b, users = world
    project = a.project
    project.status = Project.Status.PLANNED
    project.save()
    data = project_data([a.village], [a.enterprise], code=project.code, status="operating")
    response = client_for(users["town"], "en").post(
        reverse("projects:project_edit", args=[project.pk]), data
    )
    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    project.refresh_from_db()
    assert project.status == Project.Status.PLANNED


def test_model_refuses_a_status_jump_outside_the_form(world):
    from django.core.exceptions import ValidationError

    a, _b, _users = world
    project = a.project
    project.status = Project.Status.HANDED_OVER
    with translation.override("en"), pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "cannot move from" in str(error.value)


def test_a_latitude_outside_its_range_is_refused(world):
    # Percentages outside 0–100 are tested where they are entered: equity shares
    # (tests/benefits/test_equity.py) and rent rises (tests/benefits/test_land.py).
    a, _b, users = world
    response = client_for(users["taskforce"]).post(
        reverse("registry:village_edit", args=[a.village.pk]),
        {
            "town": a.town.pk,
            "code": a.village.code,
            "name": a.village.name,
            "population": 1,
            "household_count": 1,
            "latitude": "95",
        },
    )
    assert response.status_code == 400
    assert "latitude" in response.context["form"].errors
