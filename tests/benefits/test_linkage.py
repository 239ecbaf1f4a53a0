"""Benefit linkage to households (联农带农): households linked by mode, of which 脱贫户 and
监测户, and what they earned, counted from the rows; and a household's status through
its door."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cunqi.benefits import linkage, services, statements
from cunqi.benefits.linkage import DIVIDEND, EMPLOYMENT, LAND, ORDER, Link
from cunqi.benefits.models import Delivery
from cunqi.core.doors import door
from cunqi.projects.models import Project
from cunqi.registry.models import Household
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users

ZERO = Decimal("0.00")


def link(household, mode, earned="0", before="0", status="ordinary", active=True) -> Link:
    return Link(household, status, mode, 1, Decimal(earned), Decimal(before), active)


def test_a_household_linked_two_ways_counts_once_in_the_total():
    found = linkage.summarise(
        [
            link(1, EMPLOYMENT, "1000", "500", status="lifted"),
            link(1, DIVIDEND, "200", status="lifted"),
            link(2, LAND, "300", "300", status="monitored"),
            link(3, ORDER, "0", "800", active=False),  # delivered only the year before
        ]
    )
    assert found.households == 2
    assert found.by_mode == {EMPLOYMENT: 1, DIVIDEND: 1, LAND: 1, ORDER: 0}
    assert (found.lifted, found.monitored, found.served_first) == (1, 1, 2)
    assert (found.income, found.income_before) == (Decimal("1500"), Decimal("1600"))
    assert found.income_change == Decimal("-6.3")


def test_no_income_before_has_no_change():
    assert linkage.summarise([link(1, EMPLOYMENT, "10")]).income_change is None
    assert linkage.summarise([]).households == 0


@pytest.fixture
def world(db):
    side = build_side("A")
    return side, build_users(side)


def test_a_projects_linkage_is_counted_from_its_rows(world):
    side, users = world
    distribution = services.approve_distribution(side.distribution, users["leader"])
    services.post_distribution(distribution, users["taskforce"])
    door(Household).save(
        users["village"], side.household, {"status": "lifted", "status_since": date(2021, 6, 30)}
    )
    project = Project.objects.filter(pk=side.project.pk)
    delivered = sum(
        (
            d.amount_paid
            for d in Delivery.objects.filter(household=side.household, delivered_on__year=2025)
        ),
        ZERO,
    )
    found = linkage.linkage(2025, projects=project)
    assert found.households == 1 and found.lifted == 1 and found.monitored == 0
    assert found.by_mode[EMPLOYMENT] == 1 and found.by_mode[LAND] == 1
    assert found.by_mode[DIVIDEND] == 0  # the 2024 payout is the year before's
    # What the household's statement says it earned, and its deliveries besides.
    for year in (2024, 2025):
        of_household = linkage.linkage(
            year, households=Household.objects.filter(pk=side.household.pk)
        )
        delivered = sum(
            (
                d.amount_paid
                for d in Delivery.objects.filter(household=side.household, delivered_on__year=year)
            ),
            ZERO,
        )
        assert (
            of_household.income
            == statements.household_statement(side.household, year).total + delivered
        )
    assert linkage.linkage(2025).income_before == linkage.linkage(2024).income


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status": "monitored"}, "monitoring_category"),
        ({"status": "lifted", "monitoring_category": "marginal"}, "monitoring_category"),
        ({"status": "lifted", "status_since": date(2099, 1, 1)}, "status_since"),
    ],
)
def test_the_door_refuses_an_inconsistent_status(world, changes, field):
    side, users = world
    with pytest.raises(ValidationError) as refusal:
        door(Household).save(users["village"], side.household, changes)
    assert field in refusal.value.message_dict
    side.household.refresh_from_db()
    assert side.household.status == Household.Status.ORDINARY


def test_the_village_and_project_pages_show_the_linkage(world):
    side, users = world
    door(Household).save(
        users["village"], side.household, {"status": "monitored", "monitoring_category": "unstable"}
    )
    client = language_client("en")
    client.force_login(users["town"])
    for url in (
        reverse("registry:village_detail", args=[side.village.pk]),
        reverse("projects:project_detail", args=[side.project.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Households linked in" in page, url
        assert "of which lifted out of poverty / under monitoring" in page


def test_the_linkage_page_counts_only_the_households_in_sight(world):
    side, users = world
    other = build_side("B")
    client = language_client("en")
    client.force_login(users["town"])
    page = client.get(reverse("benefits:linkage"), {"year": 2025})
    assert page.status_code == 200
    assert page.context["summary"].households == 1
    assert [household for household, _row in page.context["rows"]] == [side.household]
    assert str(other.household) not in page.content.decode()
    # Another town's village is not a choice: refused, with the field named, not a 500.
    refused = client.get(reverse("benefits:linkage"), {"village": other.village.pk, "year": "x"})
    assert refused.status_code == 200
    assert set(refused.context["form"].errors) == {"village", "year"}
    assert refused.context["summary"].households == 1  # the user's own, unnarrowed
    client.force_login(users["enterprise"])  # sees no households at all
    assert client.get(reverse("benefits:linkage")).context["summary"].households == 0
    client.force_login(users["taskforce"])
    everyone = client.get(reverse("benefits:linkage"), {"year": 2025}).context["summary"]
    assert everyone.households == 2
    one = client.get(reverse("benefits:linkage"), {"year": 2025, "project": side.project.pk})
    assert one.context["summary"].households == 1
