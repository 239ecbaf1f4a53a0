"""The cockpit's figures, computed from rows within a user's scope.

``user=None`` means the whole programme (the public headline page). Whole-programme
investment figures come from the trigger-kept monthly rollup (exact, see
projects/migrations/0003); scoped users' figures are summed from their own rows.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from cunqi.benefits import selectors as benefit_selectors
from cunqi.core.fields import ZERO
from cunqi.core.models import CooperationModel, Industry
from cunqi.core.scoping import user_scope
from cunqi.pairing.models import Pairing
from cunqi.projects import lifecycle
from cunqi.projects.models import Investment, MonthlyInvestment, Project
from cunqi.registry.models import Town, Village, Zone
from cunqi.supervision.models import Award

YI = Decimal(100_000_000)  # 亿: a hundred million yuan


def _rows(model, user):
    return model.objects.all() if user is None else model.objects.visible_to(user)


def sees_everything(user) -> bool:
    return user is None or user_scope(user).everything


@dataclass(frozen=True)
class Headline:
    paired_enterprises: int
    paired_villages: int
    active_pairings: int
    pairings_with_leader: int
    projects_landed: int
    completed_investment: Decimal
    demonstration_projects: int
    demonstration_towns: int
    fully_paired_demonstration_towns: int
    zones: int
    models_in_use: int
    collective_income_year: int
    collective_income: Decimal
    strong_collective_villages: int
    awards_this_year: int

    @property
    def leader_coverage(self) -> Decimal:
        """Share of active pairings with a city leader, in percent (one place)."""
        if not self.active_pairings:
            return Decimal("0.0")
        return (Decimal(100) * self.pairings_with_leader / self.active_pairings).quantize(
            Decimal("0.1")
        )

    @property
    def completed_investment_yi(self) -> Decimal:
        return (self.completed_investment / YI).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CollectiveIncome:
    year: int
    by_village: dict[int, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.by_village.values(), ZERO)

    @property
    def strong_villages(self) -> int:
        return sum(
            1
            for amount in self.by_village.values()
            if amount >= benefit_selectors.STRONG_COLLECTIVE_INCOME
        )

    def ranking(self, limit: int = 10) -> list[tuple[Village, Decimal]]:
        top = sorted(self.by_village.items(), key=lambda item: (-item[1], item[0]))[:limit]
        villages = Village.objects.select_related("town").in_bulk([pk for pk, _amount in top])
        return [(villages[pk], amount) for pk, amount in top]


def collective_income(user=None) -> CollectiveIncome:
    """Village collectives' income from the programme (dividends and rents) in the latest
    year with posted dividends, for the villages ``user`` may see."""
    year = benefit_selectors.latest_income_year(timezone.localdate())
    villages = _rows(Village, user).values("pk")
    return CollectiveIncome(year, benefit_selectors.collective_incomes(villages, year))


def headline(user=None, collective: CollectiveIncome | None = None) -> Headline:
    pairings = _rows(Pairing, user).filter(status=Pairing.Status.ACTIVE)
    pairing_figures = pairings.aggregate(
        count=Count("pk"),
        with_leader=Count("pk", filter=Q(leader__isnull=False)),
        villages=Count("village", distinct=True),
        enterprises=Count("enterprise", distinct=True),
    )
    projects = _rows(Project, user)
    project_figures = projects.aggregate(
        landed=Count("pk", filter=Q(status__in=lifecycle.LANDED)),
        demonstration=Count("pk", filter=Q(is_demonstration=True)),
    )
    if sees_everything(user):
        completed = (
            MonthlyInvestment.objects.aggregate(total=Sum("completed_total"))["total"] or ZERO
        )
    else:
        completed = (
            _rows(Investment, user).aggregate(total=Sum("completed_amount"))["total"] or ZERO
        )
    towns = _rows(Town, user)
    demonstration_towns = towns.filter(is_demonstration=True)
    # A demonstration town is fully paired when none of its villages lacks an active
    # pairing (correlated EXISTS: a handful of towns, each probed through indexes).
    unpaired_village = Village.objects.filter(town=OuterRef("pk")).exclude(
        Exists(Pairing.objects.filter(village=OuterRef("pk"), status=Pairing.Status.ACTIVE))
    )
    fully_paired = demonstration_towns.exclude(Exists(unpaired_village)).count()
    collective = collective or collective_income(user)
    models_in_use = (
        _through("cooperation_models", _scoped_projects(user))
        .values("cooperationmodel")
        .distinct()
        .count()
    )
    return Headline(
        paired_enterprises=pairing_figures["enterprises"],
        paired_villages=pairing_figures["villages"],
        active_pairings=pairing_figures["count"],
        pairings_with_leader=pairing_figures["with_leader"],
        projects_landed=project_figures["landed"],
        completed_investment=completed,
        demonstration_projects=project_figures["demonstration"],
        demonstration_towns=demonstration_towns.count(),
        fully_paired_demonstration_towns=fully_paired,
        zones=_rows(Zone, user).count(),
        models_in_use=models_in_use,
        collective_income_year=collective.year,
        collective_income=collective.total,
        strong_collective_villages=collective.strong_villages,
        awards_this_year=Award.objects.filter(year=timezone.localdate().year).count(),
    )


def investment_by_month(user=None, until: date | None = None) -> list[tuple[date, Decimal]]:
    """Completed investment per month up to ``until`` (this month), oldest first."""
    until = until or timezone.localdate()
    if sees_everything(user):
        totals = MonthlyInvestment.objects.filter(month__lte=until, row_count__gt=0)
        return list(totals.values_list("month", "completed_total"))
    rows = (
        _rows(Investment, user)
        .filter(month__lte=until)
        .values("month")
        .annotate(total=Sum("completed_amount"))
        .order_by("month")
    )
    return [(row["month"], row["total"] or ZERO) for row in rows]


def _scoped_projects(user):
    """Rows of the project many-to-many tables limited to ``user``'s projects.

    Counting through these tables (rather than filtering an aggregate by ``IN``) keeps
    the plans linear on PostgreSQL at national scale.
    """
    return None if sees_everything(user) else _rows(Project, user).values("pk")


def _through(field_name: str, projects):
    rows = getattr(Project, field_name).through.objects.all()
    return rows if projects is None else rows.filter(project__in=projects)


def projects_by_model(user=None) -> list[tuple[CooperationModel, int]]:
    counts = dict(
        _through("cooperation_models", _scoped_projects(user))
        .values("cooperationmodel")
        .annotate(n=Count("project", distinct=True))
        .values_list("cooperationmodel", "n")
    )
    return [
        (item, counts.get(item.pk, 0)) for item in CooperationModel.objects.order_by("sort_order")
    ]


def projects_by_industry(user=None) -> list[tuple[Industry, int]]:
    counts = dict(
        _rows(Project, user)
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


def _by_zone(counts: dict, user) -> list[tuple[Zone, int]]:
    return [
        (zone, counts.get(zone.pk, 0)) for zone in _rows(Zone, user).order_by("sort_order", "name")
    ]


def projects_by_zone(user=None) -> list[tuple[Zone, int]]:
    counts = dict(
        _through("villages", _scoped_projects(user))
        .values("village__town__zone")
        .annotate(n=Count("project", distinct=True))
        .values_list("village__town__zone", "n")
    )
    return _by_zone(counts, user)


def pairings_by_zone(user=None) -> list[tuple[Zone, int]]:
    counts = dict(
        _rows(Pairing, user)
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


def cockpit_data(user=None) -> CockpitData:
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
