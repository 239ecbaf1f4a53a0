"""What a household or a village collective earned in a year, from the platform's rows.

Dividends count from posted (not reversed) distributions of that year; rent counts for
each lease year that starts in the year; wages for each month of the year worked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q

from cunqi.benefits import rent
from cunqi.benefits.models import Distribution, Employment, LandTransfer, Payout, Stake
from cunqi.core.fields import ZERO

if TYPE_CHECKING:
    from cunqi.registry.models import Household, Village


@dataclass
class Statement:
    year: int
    dividends: list[tuple[str, Decimal]] = field(default_factory=list)
    rents: list[tuple[str, Decimal]] = field(default_factory=list)
    wages: list[tuple[str, Decimal]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((amount for _label, amount in self.dividends + self.rents + self.wages), ZERO)


def months_in(start: date, end: date | None, year: int) -> int:
    """Months of ``year`` from the month ``start`` to the month ``end`` (open: to December)."""
    first = max(start, date(year, 1, 1))
    last = min(end or date(year, 12, 1), date(year, 12, 1))
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def _months_worked(employment: Employment, year: int) -> int:
    return months_in(employment.start_month, employment.end_month, year)


def _rents(transfers: Iterable[LandTransfer], year: int) -> list[tuple[str, Decimal]]:
    return [
        (f"{transfer.kind} {transfer.area} · {transfer.project}", rent_year.amount)
        for transfer in transfers
        for rent_year in rent.starting_in(transfer.rent_schedule, year)
    ]


def household_statement(household: Household, year: int) -> Statement:
    statement = Statement(year)
    payouts = Payout.objects.filter(
        household=household,
        distribution__year=year,
        distribution__status=Distribution.Status.POSTED,
    ).select_related("distribution__project")
    statement.dividends = [(str(payout.distribution.project), payout.amount) for payout in payouts]
    transfers = LandTransfer.objects.filter(household=household).select_related("kind", "project")
    statement.rents = _rents(transfers, year)
    for employment in Employment.objects.filter(household=household).select_related("project"):
        months = _months_worked(employment, year)
        if months:
            statement.wages.append(
                (
                    f"{employment.project} · {months}×{employment.monthly_wage}",
                    employment.monthly_wage * months,
                )
            )
    return statement


def village_collective_statement(village: Village, year: int) -> Statement:
    """The collective's own income: its dividends and the rent of its own land."""
    statement = Statement(year)
    payouts = Payout.objects.filter(
        Q(stake__holder=Stake.Holder.VILLAGE_COLLECTIVE, stake__village=village),
        distribution__year=year,
        distribution__status=Distribution.Status.POSTED,
    ).select_related("distribution__project")
    statement.dividends = [(str(payout.distribution.project), payout.amount) for payout in payouts]
    transfers = LandTransfer.objects.filter(village=village, household__isnull=True).select_related(
        "kind", "project"
    )
    statement.rents = _rents(transfers, year)
    return statement
