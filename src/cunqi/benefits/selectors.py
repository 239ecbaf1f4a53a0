"""Reads of benefit figures."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from cunqi.benefits.models import Employment


@dataclass(frozen=True)
class WageFigures:
    employed: int
    average_monthly_wage: Decimal | None


def wages(employments, month: date) -> WageFigures:
    """Villagers employed in ``month`` and their average monthly wage (to the fen)."""
    working = employments.filter(
        Q(end_month__isnull=True) | Q(end_month__gte=month), start_month__lte=month
    )
    # Sum and count, not Avg: money is stored in fen and AVG would answer a float in fen.
    figures = working.aggregate(employed=Count("pk"), total=Sum("monthly_wage"))
    employed = figures["employed"]
    average = (figures["total"] / employed).quantize(Decimal("0.01")) if employed else None
    return WageFigures(employed=employed, average_monthly_wage=average)


def project_wages(project, month: date) -> WageFigures:
    return wages(Employment.objects.filter(project=project), month)


def village_wages(village, month: date) -> WageFigures:
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
        return (Decimal(100) * self.delivered / self.ordered).quantize(Decimal("0.1"))

    @property
    def outstanding(self) -> Decimal:
        return self.due - self.paid


def fulfilment(order) -> Fulfilment:
    deliveries = list(order.deliveries.all())
    return Fulfilment(
        ordered=order.quantity,
        delivered=sum((delivery.quantity for delivery in deliveries), Decimal("0.00")),
        due=sum((delivery.amount_due for delivery in deliveries), Decimal("0.00")),
        paid=sum((delivery.amount_paid for delivery in deliveries), Decimal("0.00")),
    )
