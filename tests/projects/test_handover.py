"""Handovers: the asset list, its value, and a status that matches its date."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cunqi.projects.models import Handover
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


@pytest.fixture
def world(db):
    side = build_side("A")
    return side, build_users(side)


def post(client, side, **changes):
    project = factories.ProjectFactory(villages=[side.village])
    data = {
        "project": project.pk,
        "receiving_village": side.village.pk,
        "due_date": "2038-05-01",
        "status": "pending",
        **changes,
    }
    return client.post(reverse("projects:handover_add"), data)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "done"}, "done_on"),
        ({"done_on": "2038-05-02"}, "status"),
        ({"receiving_village": "other"}, "receiving_village"),
    ],
)
def test_bad_handovers_are_refused_at_their_field(world, changes, field):
    side, users = world
    client = language_client("en")
    client.force_login(users["taskforce"])
    if changes.get("receiving_village") == "other":
        changes["receiving_village"] = factories.VillageFactory(town=side.town).pk
    before = Handover.objects.count()
    response = post(client, side, **changes)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Handover.objects.count() == before


def test_the_handover_page_lists_assets_and_their_value(world):
    side, users = world
    side.handover.assets.create(name="大棚", value=Decimal("900.50"))
    client = language_client("en")
    client.force_login(users["village"])
    page = client.get(side.handover.get_absolute_url()).content.decode()
    assert "大棚" in page and "1,000.50" in page


def test_done_with_a_date_is_accepted(world):
    side, users = world
    client = language_client("en")
    client.force_login(users["town"])
    assert post(client, side, status="done", done_on="2024-05-02").status_code == 302
    assert Handover.objects.filter(done_on=date(2024, 5, 2), status="done").exists()
