"""Benefit linkage to households (联农带农), counted from Cunqi's own rows: every household a
project links through employment, a dividend payout, a land lease or an order delivery,
what it earned from the programme in a year and the year before, and how many of those
households were lifted out of poverty (脱贫户) or are under monitoring (监测户).

A household's status is its current one (the roster's), not the one it had in the year.
Production support (生产帮扶) has no rows in Cunqi yet, so it counts nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from cunqi.benefits import rent, statements
from cunqi.benefits.models import Delivery, Distribution, Employment, LandTransfer, Payout
from cunqi.core.fields import ZERO

EMPLOYMENT, DIVIDEND, LAND, ORDER = "employment", "dividend", "land", "order"
MODES = (EMPLOYMENT, DIVIDEND, LAND, ORDER)
LIFTED, MONITORED = "lifted", "monitored"


@dataclass(frozen=True)
class Link:
    household: int
    status: str
    mode: str
    project: int
    earned: Decimal  # in the year counted
    earned_before: Decimal  # in the year before it
    # Whether the link holds in the year counted (not only in the year before).
    active: bool = True


@dataclass(frozen=True)
class Linkage:
    households: int
    by_mode: dict[str, int] = field(default_factory=dict)
    lifted: int = 0
    monitored: int = 0
    income: Decimal = ZERO
    income_before: Decimal = ZERO

    @property
    def served_first(self) -> int:
        """Households lifted out of poverty or under monitoring (the ones served first)."""
        return self.lifted + self.monitored

    @property
    def income_change(self) -> Decimal | None:
        """This year's income against the year before's, in percent (None without one)."""
        if not self.income_before:
            return None
        return ((self.income - self.income_before) * 100 / self.income_before).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def summarise(links: Iterable[Link]) -> Linkage:
    """Distinct households, by mode (a household linked two ways counts under both and
    once in the total), of which 脱贫户 and 监测户, and what they earned."""
    modes: dict[str, set[int]] = defaultdict(set)
    status: dict[int, str] = {}
    income = income_before = ZERO
    for link in links:
        if link.active:
            modes[link.mode].add(link.household)
            status[link.household] = link.status
        income += link.earned
        income_before += link.earned_before
    statuses = list(status.values())
    return Linkage(
        households=len(status),
        by_mode={mode: len(modes.get(mode, ())) for mode in MODES},
        lifted=statuses.count(LIFTED),
        monitored=statuses.count(MONITORED),
        income=income,
        income_before=income_before,
    )


def links(
    year: int, *, projects: QuerySet | None = None, households: QuerySet | None = None
) -> list[Link]:
    """Every link of the year (and what it earned then and the year before) of
    ``projects`` to ``households`` (all of either when not given)."""

    def within(project_path: str = "project") -> Q:
        condition = Q(household__isnull=False)
        if projects is not None:
            condition &= Q(**{f"{project_path}__in": projects})
        if households is not None:
            condition &= Q(household__in=households)
        return condition

    found: list[Link] = []
    for row in Employment.objects.filter(within()).values(
        "household", "household__status", "project", "monthly_wage", "start_month", "end_month"
    ):
        now = statements.months_in(row["start_month"], row["end_month"], year)
        before = statements.months_in(row["start_month"], row["end_month"], year - 1)
        if now or before:
            found.append(
                Link(
                    row["household"],
                    row["household__status"],
                    EMPLOYMENT,
                    row["project"],
                    row["monthly_wage"] * now,
                    row["monthly_wage"] * before,
                    active=bool(now),
                )
            )
    payouts = Payout.objects.filter(
        within("distribution__project"),
        distribution__status=Distribution.Status.POSTED,
        distribution__year__in=(year - 1, year),
    )
    for row in payouts.values(
        "household", "household__status", "distribution__project", "distribution__year", "amount"
    ):
        now = row["distribution__year"] == year
        found.append(
            Link(
                row["household"],
                row["household__status"],
                DIVIDEND,
                row["distribution__project"],
                row["amount"] if now else ZERO,
                ZERO if now else row["amount"],
                active=now,
            )
        )
    leases = LandTransfer.objects.filter(
        within(), start_date__lte=date(year, 12, 31), end_date__gte=date(year - 1, 1, 1)
    ).select_related("household")
    for transfer in leases:
        schedule = transfer.rent_schedule
        found.append(
            Link(
                transfer.household_id,
                transfer.household.status,
                LAND,
                transfer.project_id,
                sum((y.amount for y in rent.starting_in(schedule, year)), ZERO),
                sum((y.amount for y in rent.starting_in(schedule, year - 1)), ZERO),
                # The lease runs in the year counted (an end date is exclusive).
                active=transfer.end_date > date(year, 1, 1),
            )
        )
    deliveries = Delivery.objects.filter(
        within("order__project"), delivered_on__year__in=(year - 1, year)
    )
    for row in deliveries.values(
        "household", "household__status", "order__project", "delivered_on", "amount_paid"
    ):
        now = row["delivered_on"].year == year
        paid = row["amount_paid"] or ZERO
        found.append(
            Link(
                row["household"],
                row["household__status"],
                ORDER,
                row["order__project"],
                paid if now else ZERO,
                ZERO if now else paid,
                active=now,
            )
        )
    return found


def linkage(
    year: int, *, projects: QuerySet | None = None, households: QuerySet | None = None
) -> Linkage:
    return summarise(links(year, projects=projects, households=households))


@dataclass(frozen=True)
class HouseholdLinks:
    household: int
    modes: tuple[str, ...]
    income: Decimal
    income_before: Decimal


def by_household(found: Iterable[Link]) -> list[HouseholdLinks]:
    """Each household linked in the year, with its modes and what it earned, most first."""
    modes: dict[int, set[str]] = defaultdict(set)
    income: dict[int, Decimal] = defaultdict(lambda: ZERO)
    before: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for link in found:
        income[link.household] += link.earned
        before[link.household] += link.earned_before
        if link.active:
            modes[link.household].add(link.mode)
    rows = [
        HouseholdLinks(pk, tuple(mode for mode in MODES if mode in linked), income[pk], before[pk])
        for pk, linked in modes.items()
    ]
    return sorted(rows, key=lambda row: (-row.income, row.household))
