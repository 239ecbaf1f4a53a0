"""The programme's headline figures: what the monthly bulletin reports and the cockpit
shows first, computed from the rows within a user's scope.

``user=None`` means the whole programme (the public headline page, the bulletin).
Whole-programme investment figures come from the trigger-kept monthly rollup (exact, see
projects/migrations/0003); scoped users' figures are summed from their own rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from cunqi.benefits import linkage
from cunqi.benefits import selectors as benefit_selectors
from cunqi.core import ratios
from cunqi.core.fields import ZERO
from cunqi.core.scoping import user_scope
from cunqi.pairing.models import Pairing
from cunqi.projects import lifecycle
from cunqi.projects.models import Investment, MonthlyInvestment, Project
from cunqi.registry.models import Household, Town, Village, Zone
from cunqi.supervision.models import Award

if TYPE_CHECKING:
    from cunqi.accounts.models import User


def in_scope(model: type[Model], user: User):
    """``model``'s rows ``user`` may see (all of them for None, the whole programme)."""
    return model.objects.all() if user is None else model.objects.visible_to(user)


def sees_everything(user: User) -> bool:
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
    # Benefit linkage (联农带农) this year, counted from the rows (benefits.linkage).
    households_linked: int
    households_served_first: int
    linkage_income: Decimal

    @property
    def leader_coverage(self) -> Decimal:
        """Share of active pairings with a city leader, in percent (one place)."""
        return ratios.percent(self.pairings_with_leader, self.active_pairings) or Decimal("0.0")


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


def collective_income(user: User | None = None) -> CollectiveIncome:
    """Village collectives' income from the programme (dividends and rents) in the latest
    year with posted dividends, for the villages ``user`` may see."""
    year = benefit_selectors.latest_income_year(timezone.localdate())
    villages = in_scope(Village, user).values("pk")
    return CollectiveIncome(year, benefit_selectors.collective_incomes(villages, year))


def headline(user: User | None = None, collective: CollectiveIncome | None = None) -> Headline:
    pairings = in_scope(Pairing, user).filter(status=Pairing.Status.ACTIVE)
    pairing_figures = pairings.aggregate(
        count=Count("pk"),
        with_leader=Count("pk", filter=Q(leader__isnull=False)),
        villages=Count("village", distinct=True),
        enterprises=Count("enterprise", distinct=True),
    )
    projects = in_scope(Project, user)
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
            in_scope(Investment, user).aggregate(total=Sum("completed_amount"))["total"] or ZERO
        )
    towns = in_scope(Town, user)
    demonstration_towns = towns.filter(is_demonstration=True)
    # A demonstration town is fully paired when none of its villages lacks an active
    # pairing (correlated EXISTS: a handful of towns, each probed through indexes).
    unpaired_village = Village.objects.filter(town=OuterRef("pk")).exclude(
        Exists(Pairing.objects.filter(village=OuterRef("pk"), status=Pairing.Status.ACTIVE))
    )
    fully_paired = demonstration_towns.exclude(Exists(unpaired_village)).count()
    collective = collective or collective_income(user)
    linked = linkage.linkage(
        timezone.localdate().year,
        households=None if sees_everything(user) else in_scope(Household, user),
    )
    models_in_use = (
        through("cooperation_models", scoped_projects(user))
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
        zones=in_scope(Zone, user).count(),
        models_in_use=models_in_use,
        collective_income_year=collective.year,
        collective_income=collective.total,
        strong_collective_villages=collective.strong_villages,
        awards_this_year=Award.objects.filter(year=timezone.localdate().year).count(),
        households_linked=linked.households,
        households_served_first=linked.served_first,
        linkage_income=linked.income,
    )


def scoped_projects(user: User):
    """Rows of the project many-to-many tables limited to ``user``'s projects.

    Counting through these tables (rather than filtering an aggregate by ``IN``) keeps
    the plans linear on PostgreSQL at national scale.
    """
    return None if sees_everything(user) else in_scope(Project, user).values("pk")


def through(field_name: str, projects: QuerySet):
    rows = getattr(Project, field_name).through.objects.all()
    return rows if projects is None else rows.filter(project__in=projects)
