"""Resources, land transfers and orders as Excel: each kind's own rules, the land
transfer service's checks row by row, and rows outside the write scope refused."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation

from cunqi.benefits.models import LandTransfer, Order
from cunqi.core.roles import Role
from cunqi.exchange.kinds import KINDS
from cunqi.registry.models import Resource
from tests.exchange.test_import import check, filled
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def side():
    return build_side("A")


@pytest.fixture
def users(side):
    return build_users(side)


def lease_row(side, number="", area="5", start="2024-06-01", end="2029-06-01"):
    return [
        side.project.code,
        side.village.code,
        number,
        "Arable land",
        area,
        "300",
        "",
        "",
        start,
        end,
    ]


def test_land_transfers_are_saved_by_the_service_and_checked_against_earlier_rows(side, users):
    # The village offers 100 mu of arable land; the world already leases 10 of it.
    rows = [
        lease_row(side, area="60"),
        lease_row(side, area="40", start="2025-01-01"),  # 60 + 40 + 10 > 100
        lease_row(side, number=side.household.number, area="1"),  # already leased
        lease_row(side, area="1", start="2030-01-01", end="2029-01-01"),
    ]
    before = LandTransfer.objects.count()
    outcome = check("land_transfers", filled("land_transfers", rows), users[Role.TOWN])
    assert [(error.row, error.column) for error in outcome.errors] == [
        (4, "area (mu)"),
        (5, "household number"),
        (6, "end"),
    ]
    assert LandTransfer.objects.count() == before

    outcome = check(
        "land_transfers", filled("land_transfers", rows[:1]), users[Role.TOWN], commit=True
    )
    assert outcome.committed and outcome.created == 1
    created = LandTransfer.objects.latest("pk")
    assert created.area == 60 and LogEntry.objects.get_for_object(created).count() == 1


def test_a_changed_lease_is_updated_in_place(side, users):
    row = lease_row(side, number=side.household.number, area="12", start="2024-01-01")
    row[-1] = "2034-01-01"
    outcome = check("land_transfers", filled("land_transfers", [row]), users[Role.TOWN], True)
    assert (outcome.committed, outcome.created, outcome.updated) == (True, 0, 1)
    side.land_transfer.refresh_from_db()
    assert side.land_transfer.area == 12


def test_a_resource_belongs_to_a_village_or_an_enterprise(side, users):
    rows = [
        [side.village.code, side.enterprise.uscc, "offers", "Labour", "10", "人", ""],
        ["", "", "offers", "Labour", "10", "人", ""],
    ]
    outcome = check("resources", filled("resources", rows), users[Role.TASKFORCE])
    assert [(error.row, error.column) for error in outcome.errors] == [
        (3, "village code"),
        (4, "village code"),
    ]


def test_a_row_the_user_may_see_but_not_write_is_refused_whole(side, users):
    """An enterprise sees its partner village but may not add resources for it."""
    rows = [
        ["", side.enterprise.uscc, "needs", "Labour", "30", "人", ""],
        [side.village.code, "", "offers", "Labour", "99", "人", ""],
    ]
    before = Resource.objects.count()
    outcome = check("resources", filled("resources", rows), users[Role.ENTERPRISE], commit=True)
    assert not outcome.committed
    assert [(error.row, error.message) for error in outcome.errors] == [
        (4, "This row would lie outside your scope and cannot be saved.")
    ]
    assert Resource.objects.count() == before


def test_orders_upsert_by_enterprise_product_and_season(side, users):
    row = [side.enterprise.uscc, "", "红枣A", "150", "吨", "8000", "2025-09-01", "2025-12-31"]
    outcome = check("orders", filled("orders", [row]), users[Role.ENTERPRISE], commit=True)
    assert (outcome.committed, outcome.updated) == (True, 1)
    assert Order.objects.get(product="红枣A").quantity == 150
    row[2], row[-1] = "小米", "2025-08-01"
    outcome = check("orders", filled("orders", [row]), users[Role.ENTERPRISE])
    assert [(error.row, error.column) for error in outcome.errors] == [(3, "season to")]
    village_user = users[Role.VILLAGE]
    outcome = check("orders", filled("orders", [row]), village_user)
    assert "may not import" in outcome.errors[0].message


@pytest.mark.parametrize("code", list(KINDS))
def test_every_template_example_passes_the_platforms_own_checks(code):
    """A template's example row shows what a valid cell looks like: each example reads, and
    passes its field's validators (a USCC with a wrong check digit once stood there)."""
    kind = KINDS[code]
    for column in kind.columns:
        example = column.example() if callable(column.example) else column.example
        if example in ("", None) or column.reference:
            continue
        value = column.parse(example)
        for validator in column.validators:
            validator(value)
        try:
            field = kind.model._meta.get_field(column.field)
        except FieldDoesNotExist:
            continue
        if value not in (None, "") and not field.is_relation:
            field.run_validators(value)
