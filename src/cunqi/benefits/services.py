from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.benefits import payouts
from cunqi.benefits.equity import shares_problem
from cunqi.benefits.models import (
    Distribution,
    EquityStructure,
    JournalEntry,
    JournalLine,
    LandTransfer,
    Payout,
    RentPayment,
    Stake,
)
from cunqi.projects.models import Project
from cunqi.registry.models import Household, Village


def share_message(problem: str, total) -> str:
    messages = {
        "empty": _("An equity structure needs at least one stake."),
        "range": _("Each share is more than 0% and at most 100%."),
        "sum": _("The shares must sum to exactly 100%% (now %(total)s%%).")
        % {"total": f"{total:.2f}"},
    }
    return messages[problem]


def structure_in_use(structure: EquityStructure) -> bool:
    """A structure that a distribution beyond draft relies on can no longer change:
    a new version from a later date replaces it."""
    return (
        structure.pk is not None
        and structure.distributions.exclude(status=Distribution.Status.DRAFT).exists()
    )


@transaction.atomic
def save_structure(structure: EquityStructure, stakes: Iterable[Stake]) -> EquityStructure:
    """Save ``structure`` with exactly ``stakes`` (unsaved), complete: all or nothing.

    The database refuses a complete structure whose stakes do not sum to 100%; this
    checks first, so the user gets a message instead of an error.
    """
    if structure_in_use(structure):
        raise ValidationError(
            _(
                "Distributions have been approved under this structure: add a new version from a later date."
            )
        )
    structure.validate_constraints()
    stakes = list(stakes)
    shares = [stake.share for stake in stakes]
    if problem := shares_problem(shares):
        raise ValidationError(share_message(problem, sum(shares)))
    if structure.pk:
        EquityStructure.objects.filter(pk=structure.pk).update(is_complete=False)
    structure.is_complete = False
    structure.save()
    structure.stakes.all().delete()
    for stake in stakes:
        stake.pk = None
        stake.structure = structure
        stake.save()
    EquityStructure.objects.filter(pk=structure.pk).update(is_complete=True)
    structure.is_complete = True
    return structure


def structure_in_force(project: Project, year: int) -> EquityStructure | None:
    """The complete structure in force at the end of ``year``."""
    return (
        project.equity_structures.filter(is_complete=True, valid_from__lte=date(year, 12, 31))
        .order_by("-valid_from")
        .first()
    )


def _household_weights(
    structure: EquityStructure, stakes: list[Stake], year: int
) -> dict[int, list[tuple[int, Decimal]]]:
    """Each villagers' stake's (household, weight) pairs under the structure's rule, in a
    stable order; households that weigh nothing are left out."""
    villages = {stake.village_id for stake in stakes if stake.holder == Stake.Holder.VILLAGERS}
    rule = EquityStructure.VillagersRule
    households = Household.objects.filter(village__in=villages).order_by("number", "pk")
    if structure.villagers_rule == rule.PER_PERSON:
        rows = households.values_list("pk", "village", "members")
    elif structure.villagers_rule == rule.PER_HOUSEHOLD:
        rows = ((pk, village, 1) for pk, village in households.values_list("pk", "village"))
    elif structure.villagers_rule == rule.PER_MU:
        # Land leased to this project for at least part of the year.
        areas = dict(
            LandTransfer.objects.filter(
                project=structure.project_id,
                household__in=households,
                start_date__lte=date(year, 12, 31),
                end_date__gt=date(year, 1, 1),
            )
            .values_list("household")
            .annotate(area=Sum("area"))
            .order_by()
        )
        rows = (
            (pk, village, areas.get(pk, 0))
            for pk, village in households.values_list("pk", "village")
        )
    else:
        weights = dict(structure.weights.values_list("household", "weight"))
        rows = (
            (pk, village, weights.get(pk, 0))
            for pk, village in households.values_list("pk", "village")
        )
    by_village: dict[int, list[tuple[int, Decimal]]] = {village: [] for village in villages}
    for household, village, weight in rows:
        if weight > 0:
            by_village[village].append((household, Decimal(weight)))
    return {
        stake.pk: by_village[stake.village_id]
        for stake in stakes
        if stake.holder == Stake.Holder.VILLAGERS
    }


@transaction.atomic
def prepare_distribution(
    project: Project, year: int, profit: Decimal, user, draft: Distribution | None = None
) -> Distribution:
    """A draft distribution of ``profit`` with its payouts computed (or ``draft`` redone)."""
    if profit is None or profit <= 0:
        raise ValidationError({"profit": _("The distributable profit must be more than zero.")})
    structure = structure_in_force(project, year)
    if structure is None:
        raise ValidationError(
            {
                "year": _("The project has no complete equity structure in force in %(year)s.")
                % {"year": year}
            }
        )
    stakes = list(structure.stakes.select_related("village"))
    try:
        lines = payouts.allocate(
            profit,
            [
                payouts.StakeShare(stake.pk, stake.share, stake.holder == Stake.Holder.VILLAGERS)
                for stake in stakes
            ],
            _household_weights(structure, stakes, year),
        )
    except payouts.NoHouseholds as error:
        village = next(stake.village for stake in stakes if stake.pk == error.stake_id)
        raise ValidationError(
            _(
                "%(village)s has no households to receive the villagers' share by the rule “%(rule)s”."
            )
            % {"village": village, "rule": structure.get_villagers_rule_display()}
        ) from None
    if draft is None:
        distribution = Distribution(project=project, prepared_by=user)
    else:
        distribution = Distribution.objects.select_for_update().get(pk=draft.pk)
        if distribution.status != Distribution.Status.DRAFT:
            raise ValidationError(_("Only a draft distribution can be changed."))
        distribution.payouts.all().delete()
    distribution.year, distribution.profit, distribution.structure = year, profit, structure
    distribution.validate_constraints()
    distribution.save()
    Payout.objects.bulk_create(
        Payout(
            distribution=distribution,
            stake_id=line.stake_id,
            household_id=line.household_id,
            amount=line.amount,
        )
        for line in lines
    )
    return distribution


@transaction.atomic
def approve_distribution(distribution: Distribution, user) -> Distribution:
    """Approve a draft: the second pair of eyes (never whoever prepared it)."""
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if distribution.status != Distribution.Status.DRAFT:
        raise ValidationError(_("Only a draft distribution can be approved."))
    if distribution.prepared_by_id == user.pk:
        raise ValidationError(_("Whoever prepared a distribution cannot approve it."))
    distribution.status = Distribution.Status.APPROVED
    distribution.approved_by = user
    distribution.save(update_fields=["status", "approved_by", "updated_at"])
    return distribution


def post_distribution(distribution: Distribution, user) -> JournalEntry:
    """Post an approved distribution to the journal, exactly once.

    Posting again, or from two requests at the same moment, returns the one entry: the
    row lock serialises the requests and the unique (distribution, kind) constraint
    stops a second entry whatever happens.
    """
    try:
        with transaction.atomic():
            locked = Distribution.objects.select_for_update().get(pk=distribution.pk)
            if locked.status == Distribution.Status.POSTED:
                return locked.journal_entries.get(kind=JournalEntry.Kind.POSTING)
            if locked.status != Distribution.Status.APPROVED:
                raise ValidationError(_("Only an approved distribution can be posted."))
            entry = JournalEntry.objects.create(
                distribution=locked,
                kind=JournalEntry.Kind.POSTING,
                created_by=user,
                memo=_("Dividends %(year)s") % {"year": locked.year},
            )
            lines = [
                JournalLine(
                    entry=entry, account=f"project:{locked.project_id}", amount=-locked.profit
                )
            ]
            for payout in locked.payouts.select_related("stake"):
                lines.append(
                    JournalLine(
                        entry=entry, payout=payout, account=_account(payout), amount=payout.amount
                    )
                )
            JournalLine.objects.bulk_create(lines)
            locked.status = Distribution.Status.POSTED
            locked.posted_at = timezone.now()
            locked.save(update_fields=["status", "posted_at", "updated_at"])
            return entry
    except IntegrityError:
        # Another request posted it between our lock and insert (no lock on SQLite).
        return JournalEntry.objects.get(distribution=distribution, kind=JournalEntry.Kind.POSTING)


@transaction.atomic
def reverse_distribution(distribution: Distribution, user, memo: str = "") -> JournalEntry:
    """Cancel a posted distribution with an opposite entry; a new one may then be prepared."""
    locked = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if locked.status != Distribution.Status.POSTED:
        raise ValidationError(_("Only a posted distribution can be reversed."))
    posting = locked.journal_entries.get(kind=JournalEntry.Kind.POSTING)
    entry = JournalEntry.objects.create(
        distribution=locked, kind=JournalEntry.Kind.REVERSAL, created_by=user, memo=memo
    )
    JournalLine.objects.bulk_create(
        JournalLine(
            entry=entry, payout_id=line.payout_id, account=line.account, amount=-line.amount
        )
        for line in posting.lines.all()
    )
    locked.status = Distribution.Status.REVERSED
    locked.save(update_fields=["status", "updated_at"])
    return entry


def _account(payout: Payout) -> str:
    stake = payout.stake
    if payout.household_id:
        return f"household:{payout.household_id}"
    if stake.village_group_id:
        return f"village_group:{stake.village_group_id}"
    if stake.enterprise_id:
        return f"enterprise:{stake.enterprise_id}"
    return f"village:{stake.village_id}"


@transaction.atomic
def save_land_transfer(transfer: LandTransfer) -> LandTransfer:
    """Save a lease after checking it again under a lock on its village, so that two
    leases saved at the same moment cannot together exceed what the village has."""
    Village.objects.select_for_update().filter(pk=transfer.village_id).first()
    if transfer.pk:  # and against payments recorded meanwhile
        LandTransfer.objects.select_for_update().filter(pk=transfer.pk).first()
    transfer.full_clean()
    transfer.save()
    return transfer


@transaction.atomic
def record_rent_payment(payment: RentPayment) -> RentPayment:
    """Save a rent payment under a lock on its lease, so that two payments recorded at the
    same moment cannot together pay a year beyond what is due."""
    LandTransfer.objects.select_for_update().filter(pk=payment.transfer_id).first()
    payment.full_clean()
    payment.save()
    return payment
