"""Employment: wages exact, average per project and village, bad input refused."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cunqi.benefits import selectors
from cunqi.benefits.models import Employment
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


@pytest.fixture
def side(db):
    return build_side("A")


@pytest.fixture
def fresh(side):
    """A village and project of their own, so the world's employment does not count."""
    village = factories.VillageFactory(town=side.town)
    return village, factories.ProjectFactory(villages=[village])


def employ(fresh, wage, start=date(2025, 1, 1), end=None):
    village, project = fresh
    household = factories.HouseholdFactory(village=village)
    return Employment.objects.create(
        project=project,
        household=household,
        worker_name=household.head_name,
        monthly_wage=Decimal(wage),
        start_month=start,
        end_month=end,
    )


def test_average_monthly_wage_is_exact_and_counts_only_who_works_that_month(fresh):
    employ(fresh, "6400.00")
    employ(fresh, "6400.01")
    employ(fresh, "5000.00", end=date(2025, 3, 1))
    employ(fresh, "9999.00", start=date(2026, 1, 1))
    village, project = fresh
    june = selectors.project_wages(project, date(2025, 6, 1))
    assert june.employed == 2
    assert june.average_monthly_wage == Decimal("6400.00")  # 12800.01 / 2, to the fen
    february = selectors.village_wages(village, date(2025, 2, 1))
    assert february.employed == 3
    assert february.average_monthly_wage == Decimal("5933.34")


def test_nobody_employed_has_no_average(fresh):
    assert selectors.project_wages(fresh[1], date(2025, 6, 1)).average_monthly_wage is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"monthly_wage": "0"}, "monthly_wage"),
        ({"monthly_wage": "-1"}, "monthly_wage"),
        ({"end_month": "2024-12"}, "end_month"),
        ({"start_month": "2025-13"}, "start_month"),
    ],
)
def test_bad_input_is_refused_at_its_field(side, changes, field):
    users = build_users(side)
    client = language_client("en")
    client.force_login(users["town"])
    household = factories.HouseholdFactory(village=side.village)
    data = {
        "project": side.project.pk,
        "household": household.pk,
        "worker_name": "某某",
        "monthly_wage": "6400",
        "start_month": "2025-01",
        **changes,
    }
    before = Employment.objects.count()
    response = client.post(reverse("benefits:employment_add"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Employment.objects.count() == before


def test_a_household_outside_the_projects_villages_is_refused(side):
    other = build_side("B")
    users = build_users(side)
    client = language_client("en")
    client.force_login(users["taskforce"])
    data = {
        "project": side.project.pk,
        "household": other.household.pk,
        "worker_name": "某某",
        "monthly_wage": "6400",
        "start_month": "2025-01",
    }
    response = client.post(reverse("benefits:employment_add"), data)
    assert response.status_code == 400
    assert "household" in response.context["form"].errors
