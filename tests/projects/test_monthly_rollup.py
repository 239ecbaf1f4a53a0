"""The monthly investment rollup equals the live monthly sums after any kind of write."""

import random
from datetime import date
from decimal import Decimal

import pytest
from auditlog.context import disable_auditlog
from django.db import connection
from django.db.models import Count, F, Sum

from cunqi.projects.models import Investment, MonthlyInvestment
from tests import factories

MONTHS = [date(2024, month, 1) for month in range(1, 7)]
SOURCES = [choice for choice, _label in Investment.Source.choices]


def live() -> dict:
    rows = Investment.objects.values("month").annotate(
        planned=Sum("planned_amount"), completed=Sum("completed_amount"), rows=Count("pk")
    )
    return {row["month"]: (row["planned"], row["completed"], row["rows"]) for row in rows}


def rolled_up() -> dict:
    result = {}
    for rollup in MonthlyInvestment.objects.all():
        if rollup.row_count:
            result[rollup.month] = (rollup.planned_total, rollup.completed_total, rollup.row_count)
        else:
            assert rollup.planned_total == rollup.completed_total == Decimal("0.00")
    return result


def money(rng: random.Random) -> Decimal:
    return Decimal(rng.randrange(0, 10**9)) / 100


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(4))
def test_rollup_follows_every_kind_of_write(seed):
    rng = random.Random(seed)
    projects = [factories.ProjectFactory() for _ in range(3)]
    for _step in range(25):
        operation = rng.choice(["create", "bulk", "update_one", "queryset_update", "delete", "raw"])
        existing = list(Investment.objects.all())
        if operation == "create" or not existing:
            Investment.objects.get_or_create(
                project=rng.choice(projects),
                month=rng.choice(MONTHS),
                source=rng.choice(SOURCES),
                defaults={"planned_amount": money(rng), "completed_amount": money(rng)},
            )
        elif operation == "bulk":
            project = factories.ProjectFactory()
            with disable_auditlog():  # behind the doors' backs, unrecorded
                Investment.objects.bulk_create(
                    Investment(
                        project=project,
                        month=month,
                        source=rng.choice(SOURCES),
                        planned_amount=money(rng),
                        completed_amount=money(rng),
                    )
                    for month in rng.sample(MONTHS, 3)
                )
        elif operation == "update_one":
            row = rng.choice(existing)
            row.completed_amount = money(rng)
            row.save()
        elif operation == "queryset_update":
            with disable_auditlog():  # behind the doors' backs, unrecorded
                Investment.objects.filter(project=rng.choice(projects)).update(
                    completed_amount=F("completed_amount") + Decimal("0.01"),
                    planned_amount=money(rng),
                )
        elif operation == "delete":
            Investment.objects.filter(pk=rng.choice(existing).pk).delete()
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE projects_investment SET completed_amount = completed_amount + 7 WHERE id = %s",
                    [rng.choice(existing).pk],
                )
        assert rolled_up() == live(), f"after {operation}"
