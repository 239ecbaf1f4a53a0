"""The villagers' pool split across households: per person, per mu of land contributed,
equally per household, or by explicit weights."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from cunqi.benefits import services
from cunqi.benefits.models import EquityStructure, LandTransfer, VillagerWeight
from cunqi.core.models import ResourceKind
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users

Rule = EquityStructure.VillagersRule


@pytest.fixture
def side(db):
    side = build_side("A")  # one household of 3 members, leasing 10 mu to the project from 2024
    side.others = [
        factories.HouseholdFactory(village=side.village, number=number, members=members)
        for number, members in (("101", 1), ("102", 2))
    ]
    return side


def villagers_payouts(side, rule, profit="10000.00", year=2025) -> dict:
    structure = side.equity_structure
    with disable_auditlog():  # behind the doors' backs, unrecorded
        EquityStructure.objects.filter(pk=structure.pk).update(villagers_rule=rule)
    draft = side.project.distributions.filter(year=year).first()  # redone, not duplicated
    distribution = services.prepare_distribution(
        side.project, year, Decimal(profit), build_users(side)["town"], draft=draft
    )
    return {
        payout.household: payout.amount
        for payout in distribution.payouts.filter(household__isnull=False)
    }


def test_per_person_and_per_household(side):
    first, second = side.others
    # The villagers hold 39% of 10,000 yuan: 3,900.
    assert villagers_payouts(side, Rule.PER_PERSON) == {
        side.household: Decimal("1950.00"),
        first: Decimal("650.00"),
        second: Decimal("1300.00"),
    }
    assert set(villagers_payouts(side, Rule.PER_HOUSEHOLD).values()) == {Decimal("1300.00")}


def test_per_mu_counts_land_leased_to_the_project_in_that_year(side):
    first, _second = side.others
    arable = ResourceKind.objects.get(code="arable_land")
    LandTransfer.objects.create(
        project=side.project,
        village=side.village,
        household=first,
        kind=arable,
        area=Decimal("30.00"),
        rent_per_mu=Decimal("100.00"),
        start_date=date(2025, 7, 1),
        end_date=date(2030, 7, 1),
    )
    # 10 mu and 30 mu in 2025; the household without land gets nothing, not a zero payout.
    assert villagers_payouts(side, Rule.PER_MU) == {
        side.household: Decimal("975.00"),
        first: Decimal("2925.00"),
    }
    # In 2024 only the first lease had begun.
    assert villagers_payouts(side, Rule.PER_MU, year=2024) == {side.household: Decimal("3900.00")}


def test_explicit_weights(side):
    first, second = side.others
    # The scoping world gives its household a weight of 2.
    VillagerWeight.objects.create(
        structure=side.equity_structure, household=second, weight=Decimal("0.50")
    )
    assert villagers_payouts(side, Rule.WEIGHTS) == {
        side.household: Decimal("3120.00"),
        second: Decimal("780.00"),
    }
    assert first not in villagers_payouts(side, Rule.WEIGHTS)


def test_a_rule_that_leaves_no_household_is_refused_with_the_rule_named(side):
    VillagerWeight.objects.all().delete()
    with pytest.raises(ValidationError) as error, translation.override("en"):
        villagers_payouts(side, Rule.WEIGHTS)
    assert "explicit weights" in error.value.messages[0]
    assert not side.project.distributions.exclude(pk=side.distribution.pk).exists()


def test_a_weight_for_a_household_outside_the_villagers_stakes_is_refused(side):
    users = build_users(side)
    client = language_client("en")
    client.force_login(users["town"])
    stranger = factories.HouseholdFactory()
    response = client.post(
        reverse("benefits:villagerweight_add"),
        {"structure": side.equity_structure.pk, "household": stranger.pk, "weight": "1"},
    )
    # The other village's household is not even a choice for a town officer.
    assert response.status_code == 400
    assert VillagerWeight.objects.count() == 1


def test_a_weight_in_another_village_of_ones_town_is_refused_at_the_field(side):
    users = build_users(side)
    neighbour = factories.HouseholdFactory(village=factories.VillageFactory(town=side.town))
    client = language_client("zh-hans")
    client.force_login(users["town"])
    response = client.post(
        reverse("benefits:villagerweight_add"),
        {"structure": side.equity_structure.pk, "household": neighbour.pk, "weight": "1"},
    )
    assert response.status_code == 400
    assert "该户所在村在此股份结构中没有村民股" in response.content.decode()
    weights = {"structure": side.equity_structure.pk, "household": side.others[0].pk}
    response = client.post(reverse("benefits:villagerweight_add"), {**weights, "weight": "0"})
    assert response.status_code == 400
    response = client.post(reverse("benefits:villagerweight_add"), {**weights, "weight": "1.5"})
    assert response.status_code == 302
