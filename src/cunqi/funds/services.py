"""Money in and out of fund budgets. Each change locks the row whose running total it
moves (the budget for an allocation, the allocation for a disbursement), checks the room
left, and moves the total in the same transaction: two concurrent allocations queue on
the lock and the second sees what the first took. The check constraints on the totals
are the last line should anything write around these doors."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.core.doors import Door, authorize, door, register
from cunqi.funds.models import Allocation, Disbursement, FundBudget
from cunqi.projects.selectors import in_library

if TYPE_CHECKING:
    from cunqi.accounts.models import User


def library_problem(allocation: Allocation) -> str | None:
    """Why ``allocation``'s source may not fund its project (it funds only entries of the
    project library), or None."""
    source = allocation.budget.source
    if not source.requires_library or in_library(allocation.project):
        return None
    return _(
        "“%(source)s” funds only projects from the project library (入库项目): “%(project)s” "
        "did not come through it, or has left it."
    ) % {"source": source, "project": allocation.project}


def _move(locked_row: FundBudget | Allocation, total: str, delta: Decimal) -> None:
    """Move a running total of a row this transaction holds locked."""
    setattr(locked_row, total, getattr(locked_row, total) + delta)
    locked_row.save(update_fields=[total, "updated_at"])


def _room_error(field: str, left: Decimal, message: str) -> ValidationError:
    return ValidationError({field: message % {"left": f"{left:,.2f}"}})


@register
class FundBudgetDoor(Door):
    """A new budget, or a changed amount that still covers what is allocated."""

    model = FundBudget

    def check(
        self, row: FundBudget, related: dict, user: User, *, previous: FundBudget | None
    ) -> None:
        # The row is locked and its running total current (the door loaded it so).
        if previous is not None and row.amount < row.allocated:
            raise ValidationError(
                {
                    "amount": _("%(allocated)s yuan of this budget is already allocated.")
                    % {"allocated": f"{row.allocated:,.2f}"}
                }
            )


@register
class AllocationDoor(Door):
    """An allocation within its budget's room; an allocation money was paid from stays."""

    model = Allocation

    def check(
        self, row: Allocation, related: dict, user: User, *, previous: Allocation | None
    ) -> None:
        if (previous is None or previous.project_id != row.project_id) and (
            problem := library_problem(row)
        ):
            raise ValidationError({"project": problem})
        if previous is not None and row.amount < row.disbursed:
            raise ValidationError(
                {
                    "amount": _("%(disbursed)s yuan of this allocation is already disbursed.")
                    % {"disbursed": f"{row.disbursed:,.2f}"}
                }
            )

    def write(
        self, row: Allocation, related: dict, user: User, *, previous: Allocation | None
    ) -> Allocation:
        budgets = {row.budget_id} | ({previous.budget_id} if previous else set())
        # Lock in a fixed order, so that two moves between the same budgets cannot deadlock.
        locked = {
            b.pk: b
            for b in FundBudget.objects.select_for_update().filter(pk__in=budgets).order_by("pk")
        }
        budget = locked[row.budget_id]
        already = previous.amount if previous and previous.budget_id == budget.pk else Decimal(0)
        if row.amount - already > budget.remaining:
            raise _room_error(
                "amount",
                budget.remaining + already,
                _("Only %(left)s yuan of this budget is left to allocate."),
            )
        if previous and previous.budget_id != budget.pk:
            _move(locked[previous.budget_id], "allocated", -previous.amount)
        _move(budget, "allocated", row.amount - already)
        row.save()
        return row

    def remove(self, row: Allocation, user: User) -> None:
        if row.disbursements.exists():
            raise ValidationError(_("Money has been disbursed from this allocation: it stays."))
        _move(
            FundBudget.objects.select_for_update().get(pk=row.budget_id), "allocated", -row.amount
        )
        row.delete()


@register
class DisbursementDoor(Door):
    """A payment within its allocation's room; whoever records or last changes it is its
    maker, who cannot approve it; approved, it is fixed."""

    model = Disbursement
    managed_fields = frozenset({"status", "recorded_by", "approved_by", "approved_at"})

    def frozen(self, row: Disbursement) -> str | None:
        if row.status == Disbursement.Status.APPROVED:
            return _("An approved disbursement can no longer be changed or deleted.")
        return None

    def prepare(self, row: Disbursement, user: User, *, previous: Disbursement | None) -> None:
        row.status, row.recorded_by = Disbursement.Status.RECORDED, user

    def write(
        self, row: Disbursement, related: dict, user: User, *, previous: Disbursement | None
    ) -> Disbursement:
        allocations = {row.allocation_id} | ({previous.allocation_id} if previous else set())
        locked = {
            a.pk: a
            for a in Allocation.objects.select_for_update()
            .filter(pk__in=allocations)
            .order_by("pk")
        }
        allocation = locked[row.allocation_id]
        already = (
            previous.amount if previous and previous.allocation_id == allocation.pk else Decimal(0)
        )
        if row.amount - already > allocation.remaining:
            raise _room_error(
                "amount",
                allocation.remaining + already,
                _("Only %(left)s yuan of this allocation is left to disburse."),
            )
        if previous and previous.allocation_id != allocation.pk:
            _move(locked[previous.allocation_id], "disbursed", -previous.amount)
        _move(allocation, "disbursed", row.amount - already)
        row.save()
        return row

    def remove(self, row: Disbursement, user: User) -> None:
        allocation = Allocation.objects.select_for_update().get(pk=row.allocation_id)
        _move(allocation, "disbursed", -row.amount)
        row.delete()


def save_budget(budget: FundBudget, user: User) -> FundBudget:
    return door(FundBudget).save_instance(user, budget)


def save_allocation(allocation: Allocation, user: User) -> Allocation:
    return door(Allocation).save_instance(user, allocation)


def save_disbursement(disbursement: Disbursement, user: User) -> Disbursement:
    return door(Disbursement).save_instance(user, disbursement)


@transaction.atomic
def approve_disbursement(disbursement: Disbursement, user: User) -> Disbursement:
    """The second pair of eyes: someone who may write the payment (the paying source's
    department, or the task force), but never whoever recorded it."""
    authorize(user, "approve", disbursement)
    locked = (
        Disbursement.objects.editable_by(user).select_for_update().filter(pk=disbursement.pk)
    ).first()
    if locked is None:
        raise PermissionDenied
    if locked.status != Disbursement.Status.RECORDED:
        raise ValidationError(_("Only a disbursement awaiting approval can be approved."))
    if locked.recorded_by_id == user.pk:
        raise ValidationError(_("Whoever recorded a disbursement cannot approve it."))
    locked.status, locked.approved_by = Disbursement.Status.APPROVED, user
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    return locked
