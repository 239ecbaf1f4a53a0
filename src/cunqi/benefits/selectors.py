"""Reads of benefit figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum

from cunqi.benefits import rent
from cunqi.benefits.models import Distribution, Employment, LandTransfer, Payout, Stake
from cunqi.core import ratios
from cunqi.core.fields import ZERO

if TYPE_CHECKING:
    from cunqi.benefits.models import Order
    from cunqi.projects.models import Project
    from cunqi.registry.models import Village


@dataclass(frozen=True)
class WageFigures:
    employed: int
    average_monthly_wage: Decimal | None
    paid: Decimal = ZERO  # the month's wages of everyone employed


def wages(employments: QuerySet, month: date) -> WageFigures:
    """Villagers employed in ``month`` and their average monthly wage (to the fen)."""
    working = employments.filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month), start_month__lte=month
    )
    # Sum and count, not Avg: money is stored in fen and AVG would answer a float in fen.
    figures = working.aggregate(employed=Count("pk"), total=Sum("monthly_wage"))
    employed = figures["employed"]
    average = (figures["total"] / employed).quantize(Decimal("0.01")) if employed else None
    return WageFigures(
        employed=employed, average_monthly_wage=average, paid=figures["total"] or ZERO
    )


def project_wages(project: Project, month: date) -> WageFigures:
    return wages(Employment.objects.filter(project=project), month)


def village_wages(village: Village, month: date) -> WageFigures:
    return wages(Employment.objects.filter(household__village=village), month)


@dataclass(frozen=True)
class Fulfilment:
    ordered: Decimal
    delivered: Decimal
    due: Decimal
    paid: Decimal

    @property
    def rate(self) -> Decimal:
        """Delivered as a percentage of the quantity ordered (one place)."""
        return ratios.percent(self.delivered, self.ordered)

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.paid


def fulfilment(order: Order) -> Fulfilment:
    deliveries = list(order.deliveries.all())
    return Fulfilment(
        ordered=order.quantity,
        delivered=sum((delivery.quantity for delivery in deliveries), Decimal("0.00")),
        due=sum((delivery.amount_due for delivery in deliveries), Decimal("0.00")),
        paid=sum((delivery.amount_paid for delivery in deliveries), Decimal("0.00")),
    )


@dataclass(frozen=True)
class RentAccountYear:
    year: rent.RentYear
    paid: Decimal
    today: date

    @property
    def outstanding(self) -> Decimal:
        return self.year.amount - self.paid

    @property
    def overdue(self) -> bool:
        """Rent is due at the start of its lease year."""
        return self.year.start <= self.today and self.outstanding > 0


def rent_account(transfer: LandTransfer, today: date) -> list[RentAccountYear]:
    """Each lease year's rent due, what has been paid for it and what is still owed."""
    paid = dict(
        transfer.payments.values_list("lease_year").annotate(total=Sum("amount")).order_by()
    )
    return [
        RentAccountYear(year, paid.get(year.number, Decimal("0.00")), today)
        for year in transfer.rent_schedule
    ]


# The seed's benchmark for a strong village collective economy: over 500,000 yuan a year.
STRONG_COLLECTIVE_INCOME = Decimal("500000.00")


def collective_incomes(villages: Iterable[Village], year: int) -> dict[int, Decimal]:
    """Each village collective's income from the programme in ``year``, by village id:
    the same dividends and rents as its statement, summed for many villages at once."""
    totals: dict[int, Decimal] = dict(
        Payout.objects.filter(
            stake__holder=Stake.Holder.VILLAGE_COLLECTIVE,
            stake__village__in=villages,
            distribution__year=year,
            distribution__status=Distribution.Status.POSTED,
        )
        .values_list("stake__village")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    own_land = LandTransfer.objects.filter(
        village__in=villages,
        household__isnull=True,
        start_date__lte=date(year, 12, 31),
        end_date__gt=date(year, 1, 1),
    )
    for transfer in own_land:
        for rent_year in rent.starting_in(transfer.rent_schedule, year):
            totals[transfer.village_id] = totals.get(transfer.village_id, ZERO) + rent_year.amount
    return {village: total for village, total in totals.items() if total}


def latest_income_year(today: date) -> int:
    """The year the cockpit reports collective income for: the latest year with posted
    dividends, and last year before any were posted."""
    latest = (
        Distribution.objects.filter(status=Distribution.Status.POSTED, year__lte=today.year)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or today.year - 1
