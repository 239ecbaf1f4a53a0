"""Money in and out of fund budgets. Each change locks the row whose running total it
moves (the budget for an allocation, the allocation for a disbursement), checks the room
left, and moves the total in the same transaction: two concurrent allocations queue on
the lock and the second sees what the first took. The check constraints on the totals
are the last line should anything write around these services."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.funds.models import Allocation, Disbursement, FundBudget


def _move(locked_row, total: str, delta: Decimal) -> None:
    """Move a running total of a row this transaction holds locked."""
    setattr(locked_row, total, getattr(locked_row, total) + delta)
    locked_row.save(update_fields=[total, "updated_at"])


def _room_error(field: str, left: Decimal, message: str) -> ValidationError:
    return ValidationError({field: message % {"left": f"{left:,.2f}"}})


@transaction.atomic
def save_budget(budget: FundBudget) -> FundBudget:
    """A new budget, or a changed amount that still covers what is allocated."""
    if budget.pk:
        locked = FundBudget.objects.select_for_update().get(pk=budget.pk)
        if budget.amount < locked.allocated:
            raise ValidationError(
                {
                    "amount": _("%(allocated)s yuan of this budget is already allocated.")
                    % {"allocated": f"{locked.allocated:,.2f}"}
                }
            )
        budget.allocated = locked.allocated
    budget.save()
    return budget


@transaction.atomic
def save_allocation(allocation: Allocation) -> Allocation:
    """Create an allocation or change its amount, within the budget's room."""
    previous = None
    if allocation.pk:
        previous = Allocation.objects.select_for_update().get(pk=allocation.pk)
        if allocation.amount < previous.disbursed:
            raise ValidationError(
                {
                    "amount": _("%(disbursed)s yuan of this allocation is already disbursed.")
                    % {"disbursed": f"{previous.disbursed:,.2f}"}
                }
            )
        allocation.disbursed = previous.disbursed
    budgets = {allocation.budget_id} | ({previous.budget_id} if previous else set())
    # Lock in a fixed order, so that two moves between the same budgets cannot deadlock.
    locked = {
        b.pk: b
        for b in FundBudget.objects.select_for_update().filter(pk__in=budgets).order_by("pk")
    }
    budget = locked[allocation.budget_id]
    already = previous.amount if previous and previous.budget_id == budget.pk else Decimal(0)
    if allocation.amount - already > budget.remaining:
        raise _room_error(
            "amount",
            budget.remaining + already,
            _("Only %(left)s yuan of this budget is left to allocate."),
        )
    if previous and previous.budget_id != budget.pk:
        _move(locked[previous.budget_id], "allocated", -previous.amount)
    _move(budget, "allocated", allocation.amount - already)
    allocation.save()
    return allocation


@transaction.atomic
def delete_allocation(allocation: Allocation) -> None:
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if locked.disbursements.exists():
        raise ValidationError(_("Money has been disbursed from this allocation: it stays."))
    _move(
        FundBudget.objects.select_for_update().get(pk=locked.budget_id), "allocated", -locked.amount
    )
    locked.delete()


def _fixed_once_approved(disbursement: Disbursement) -> None:
    if disbursement.status == Disbursement.Status.APPROVED:
        raise ValidationError(_("An approved disbursement can no longer be changed or deleted."))


@transaction.atomic
def save_disbursement(disbursement: Disbursement, user) -> Disbursement:
    """Record a payment, or change one still awaiting approval, within the allocation's
    room; ``user`` is then its maker, who cannot approve it."""
    previous = None
    if disbursement.pk:
        previous = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
        _fixed_once_approved(previous)
    allocations = {disbursement.allocation_id} | ({previous.allocation_id} if previous else set())
    locked = {
        a.pk: a
        for a in Allocation.objects.select_for_update().filter(pk__in=allocations).order_by("pk")
    }
    allocation = locked[disbursement.allocation_id]
    already = (
        previous.amount if previous and previous.allocation_id == allocation.pk else Decimal(0)
    )
    if disbursement.amount - already > allocation.remaining:
        raise _room_error(
            "amount",
            allocation.remaining + already,
            _("Only %(left)s yuan of this allocation is left to disburse."),
        )
    if previous and previous.allocation_id != allocation.pk:
        _move(locked[previous.allocation_id], "disbursed", -previous.amount)
    _move(allocation, "disbursed", disbursement.amount - already)
    disbursement.status, disbursement.recorded_by = Disbursement.Status.RECORDED, user
    disbursement.save()
    return disbursement


@transaction.atomic
def approve_disbursement(disbursement: Disbursement, user) -> Disbursement:
    """The second pair of eyes: someone who may write the payment (the paying source's
    department, or the task force), but never whoever recorded it."""
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


@transaction.atomic
def delete_disbursement(disbursement: Disbursement) -> None:
    locked = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    _fixed_once_approved(locked)
    allocation = Allocation.objects.select_for_update().get(pk=locked.allocation_id)
    _move(allocation, "disbursed", -locked.amount)
    locked.delete()
