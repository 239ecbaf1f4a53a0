"""The cockpit's figures, computed from rows within a user's scope (``user=None``: the
whole programme). Its headline is the programme's (``supervision.headline``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Sum
from django.utils import timezone

from cunqi.core.fields import ZERO
from cunqi.core.models import CooperationModel, Industry
from cunqi.pairing.models import Pairing
from cunqi.projects.models import Investment, MonthlyInvestment, Project
from cunqi.registry.models import Village, Zone
from cunqi.supervision.headline import (
    Headline,
    collective_income,
    headline,
    in_scope,
    scoped_projects,
    sees_everything,
    through,
)

if TYPE_CHECKING:
    from cunqi.accounts.models import User


def investment_by_month(
    user: User | None = None, until: date | None = None
) -> list[tuple[date, Decimal]]:
    """Completed investment per month up to ``until`` (this month), oldest first."""
    until = until or timezone.localdate()
    if sees_everything(user):
        totals = MonthlyInvestment.objects.filter(month__lte=until, row_count__gt=0)
        return list(totals.values_list("month", "completed_total"))
    rows = (
        in_scope(Investment, user)
        .filter(month__lte=until)
        .values("month")
        .annotate(total=Sum("completed_amount"))
        .order_by("month")
    )
    return [(row["month"], row["total"] or ZERO) for row in rows]


def projects_by_model(user: User | None = None) -> list[tuple[CooperationModel, int]]:
    counts = dict(
        through("cooperation_models", scoped_projects(user))
        .values("cooperationmodel")
        .annotate(n=Count("project", distinct=True))
        .values_list("cooperationmodel", "n")
    )
    return [
        (item, counts.get(item.pk, 0)) for item in CooperationModel.objects.order_by("sort_order")
    ]


def projects_by_industry(user: User | None = None) -> list[tuple[Industry, int]]:
    counts = dict(
        in_scope(Project, user)
        .order_by()
        .values("industry")
        .annotate(n=Count("pk"))
        .values_list("industry", "n")
    )
    return [
        (item, counts[item.pk])
        for item in Industry.objects.order_by("sort_order")
        if counts.get(item.pk)
    ]


def _by_zone(counts: dict, user: User) -> list[tuple[Zone, int]]:
    return [
        (zone, counts.get(zone.pk, 0))
        for zone in in_scope(Zone, user).order_by("sort_order", "name")
    ]


def projects_by_zone(user: User | None = None) -> list[tuple[Zone, int]]:
    counts = dict(
        through("villages", scoped_projects(user))
        .values("village__town__zone")
        .annotate(n=Count("project", distinct=True))
        .values_list("village__town__zone", "n")
    )
    return _by_zone(counts, user)


def pairings_by_zone(user: User | None = None) -> list[tuple[Zone, int]]:
    counts = dict(
        in_scope(Pairing, user)
        .filter(status=Pairing.Status.ACTIVE)
        .order_by()
        .values("village__town__zone")
        .annotate(n=Count("pk"))
        .values_list("village__town__zone", "n")
    )
    return _by_zone(counts, user)


@dataclass(frozen=True)
class CockpitData:
    headline: Headline
    investment_by_month: list[tuple[date, Decimal]]
    projects_by_model: list[tuple[CooperationModel, int]]
    projects_by_industry: list[tuple[Industry, int]]
    projects_by_zone: list[tuple[Zone, int]]
    pairings_by_zone: list[tuple[Zone, int]]
    collective_income_ranking: list[tuple[Village, Decimal]]


def cockpit_data(user: User | None = None) -> CockpitData:
    """Everything the cockpit shows, computed now from the rows ``user`` may see."""
    collective = collective_income(user)
    return CockpitData(
        headline=headline(user, collective),
        investment_by_month=investment_by_month(user),
        projects_by_model=projects_by_model(user),
        projects_by_industry=projects_by_industry(user),
        projects_by_zone=projects_by_zone(user),
        pairings_by_zone=pairings_by_zone(user),
        collective_income_ranking=collective.ranking(),
    )
