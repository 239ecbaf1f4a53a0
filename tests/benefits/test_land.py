"""Land transfers: rent schedules exact to the fen, and leases the land can bear."""

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cunqi.benefits import rent
from cunqi.benefits.models import LandTransfer
from cunqi.benefits.services import save_land_transfer
from cunqi.core.models import ResourceKind
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


def test_two_full_years_without_a_rise():
    years = rent.schedule(Decimal("750.00"), Decimal("300.00"), date(2024, 1, 1), date(2026, 1, 1))
    assert [(year.number, year.amount) for year in years] == [
        (1, Decimal("225000.00")),
        (2, Decimal("225000.00")),
    ]


def test_rent_rises_every_n_years_and_the_last_part_year_is_prorated():
    years = rent.schedule(
        Decimal("10.00"), Decimal("100.00"), date(2023, 1, 1), date(2027, 7, 2), Decimal("5"), 2
    )
    assert [year.amount for year in years] == [
        Decimal("1000.00"),
        Decimal("1000.00"),
        Decimal("1050.00"),
        Decimal("1050.00"),
        Decimal("549.74"),  # 1000 × 1.05² × 182/365
    ]


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(min_value=1, max_value=30 * 365),
)
def test_lease_years_cover_the_term_exactly(start, days):
    end = date.fromordinal(start.toordinal() + days)
    years = rent.schedule(Decimal("1.00"), Decimal("1.00"), start, end)
    assert years[0].start == start and years[-1].end == end
    assert all(earlier.end == later.start for earlier, later in itertools.pairwise(years))
    assert rent.lease_years(start, end) <= len(years)


@pytest.fixture
def side(db):
    return build_side("A")


def lease(side, **changes) -> LandTransfer:
    values = {
        "project": side.project,
        "village": side.village,
        "household": None,
        "kind": ResourceKind.objects.get(code="arable_land"),
        "area": Decimal("50.00"),
        "rent_per_mu": Decimal("300.00"),
        "start_date": date(2024, 6, 1),
        "end_date": date(2029, 6, 1),
        **changes,
    }
    return LandTransfer(**values)


def problems(transfer) -> dict:
    with pytest.raises(ValidationError) as error:
        save_land_transfer(transfer, factories.task_force())
    return error.value.message_dict


def test_cannot_lease_more_land_of_a_kind_than_the_village_has(side):
    # The village offers 100 mu of arable land; the scoping world already leases 10.
    save_land_transfer(lease(side, area=Decimal("90.00")), factories.task_force())
    assert "area" in problems(lease(side, area=Decimal("0.01")))
    # After the overlapping leases end, the land is free again.
    save_land_transfer(
        lease(side, area=Decimal("90.00"), start_date=date(2034, 1, 1), end_date=date(2035, 1, 1)),
        factories.task_force(),
    )


def test_a_households_land_cannot_be_leased_twice_for_overlapping_terms(side):
    assert "household" in problems(lease(side, household=side.household, area=Decimal("1.00")))


def test_a_lease_longer_than_the_income_period_is_refused(side):
    side.project.income_years = 3
    side.project.save()
    assert "end_date" in problems(lease(side, area=Decimal("1.00")))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"area": Decimal("0")}, "area"),
        ({"end_date": date(2024, 1, 1)}, "end_date"),
        ({"kind_code": "labour"}, "kind"),
    ],
)
def test_bad_leases_are_refused_at_their_field(side, changes, field):
    if "kind_code" in changes:
        changes = {"kind": ResourceKind.objects.get(code=changes.pop("kind_code"))}
    before = LandTransfer.objects.count()
    assert field in problems(lease(side, **changes))
    assert LandTransfer.objects.count() == before


def test_another_villages_household_is_refused(side):
    other_household = factories.HouseholdFactory()
    assert "household" in problems(lease(side, household=other_household, area=Decimal("1.00")))


def test_the_page_shows_the_rent_schedule_and_refuses_too_much_land(side):
    users = build_users(side)
    client = language_client("en")
    client.force_login(users["village"])
    page = client.get(side.land_transfer.get_absolute_url()).content.decode()
    assert "3,000.00" in page  # 10 mu × 300 yuan
    data = {
        "project": side.project.pk,
        "village": side.village.pk,
        "kind": side.land_transfer.kind_id,
        "area": "95.00",
        "rent_per_mu": "300",
        "escalation_percent": "0",
        "escalation_every_years": "0",
        "start_date": "2024-06-01",
        "end_date": "2026-06-01",
    }
    response = client.post(reverse("benefits:landtransfer_add"), data)
    assert response.status_code == 400
    assert "at most 90.00 mu are left" in " ".join(response.context["form"].errors["area"])


def test_a_rent_rise_above_100_percent_is_refused_at_its_field(side):
    assert "escalation_percent" in problems(
        lease(side, area=Decimal("1.00"), escalation_percent=Decimal("150"))
    )
