"""Yearly statements of households and village collectives, from the rows."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.context import disable_auditlog
from django.urls import reverse

from cunqi.benefits import services, statements
from cunqi.benefits.models import Employment
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


@pytest.fixture
def world(db):
    side = build_side("A")
    return side, build_users(side)


def test_household_statement_sums_dividends_rents_and_wages(world):
    side, users = world
    distribution = services.approve_distribution(side.distribution, users["leader"])
    services.post_distribution(distribution, users["taskforce"])
    with disable_auditlog():  # behind the doors' backs, unrecorded
        Employment.objects.filter(pk=side.employment.pk).update(end_month=date(2025, 3, 1))
    dividends = distribution.payouts.get(household=side.household).amount
    for year, expected in (
        (2024, dividends + Decimal("3000.00")),  # the lease's first year starts 2024-01-01
        (2025, Decimal("3000.00") + 3 * Decimal("6400.00")),  # January to March worked
    ):
        statement = statements.household_statement(side.household, year)
        assert statement.total == expected, year


def test_only_posted_dividends_count(world):
    side, _users = world
    assert statements.household_statement(side.household, 2024).dividends == []


def test_village_collective_statement_counts_its_stake_and_own_land(world):
    side, users = world
    services.post_distribution(
        services.approve_distribution(side.distribution, users["leader"]), users["taskforce"]
    )
    own_land = factories.ResourceFactory(village=side.village)  # 100 more mu of arable land
    assert own_land.quantity == Decimal("100.00")
    statement = statements.village_collective_statement(side.village, 2024)
    assert statement.dividends == [(str(side.project), Decimal("1000.00"))]  # 10% of 10,000
    assert statement.rents == []  # the world's lease is a household's, not the collective's


def test_statement_pages_are_scoped(world):
    side, users = world
    url = reverse("benefits:household_statement", args=[side.household.pk, 2024])
    village = language_client("zh-hans")
    village.force_login(users["village"])
    assert village.get(url).status_code == 200
    enterprise = language_client("en")
    enterprise.force_login(users["enterprise"])
    assert enterprise.get(url).status_code == 404
    other = build_side("B")
    assert (
        village.get(
            reverse("benefits:village_statement", args=[other.village.pk, 2024])
        ).status_code
        == 404
    )


def test_a_statement_is_issued_dated_in_capitals_and_signed(world):
    side, users = world
    village = language_client("zh-hans")
    village.force_login(users["village"])
    url = reverse("benefits:household_statement", args=[side.household.pk, 2024])
    response = village.get(url)
    page = response.content.decode()
    total = response.context["statement"].total
    assert f"{side.village}村民委员会" in page
    assert "年" in page and "月" in page and "日" in page  # the date of issue, in Chinese
    assert "大写" in page and response.context["total_in_capitals"].startswith("人民币")
    assert "户主签字" in page and "制表人" in page and "审核人" in page
    assert total > 0
    collective = language_client("en")
    collective.force_login(users["village"])
    page = collective.get(
        reverse("benefits:village_statement", args=[side.village.pk, 2024])
    ).content.decode()
    assert "Village–enterprise pairing task force" in page and "(seal)" in page


def test_amounts_in_capitals_are_the_banks_form():
    from cunqi.core.money import capitals

    assert capitals(Decimal("12345.67")) == "人民币壹万贰仟叁佰肆拾伍元陆角柒分"
    assert capitals(Decimal("1010.01")) == "人民币壹仟零壹拾元零壹分"
    assert capitals(Decimal("100")) == "人民币壹佰元整"
    assert capitals(Decimal("0")) == "人民币零元整"
