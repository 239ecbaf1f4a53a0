from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.benefits import payouts
from cunqi.benefits.equity import shares_problem
from cunqi.benefits.models import (
    Distribution,
    EquityStructure,
    JournalEntry,
    LandTransfer,
    Payout,
    RentPayment,
    Stake,
    VillagerWeight,
)
from cunqi.core import bulk, history
from cunqi.core.doors import Door, authorize, door, register
from cunqi.core.fields import ZERO
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


def _in_use_message() -> str:
    return _(
        "Distributions have been approved under this structure: add a new version from a later date."
    )


@register
class EquityStructureDoor(Door):
    """A structure is saved with exactly its stakes (``values["stakes"]``, unsaved), and
    complete: the database refuses a complete structure whose stakes do not sum to 100%;
    this checks first, so the user gets a message instead of an error. Without stakes, a
    change keeps the stakes it had."""

    model = EquityStructure
    extra_inputs = frozenset({"stakes"})

    def frozen(self, row) -> str | None:
        return _in_use_message() if structure_in_use(row) else None

    def check(self, row, related, user, *, previous) -> None:
        if "stakes" not in related:
            if previous is None:
                raise ValidationError(share_message("empty", 0))
            related["stakes"] = [
                Stake(**{f.attname: getattr(stake, f.attname) for f in Stake._meta.concrete_fields})
                for stake in Stake.objects.filter(structure=row.pk)
            ]
        stakes = list(related["stakes"])
        for stake in stakes:
            stake.structure = row
            stake.full_clean(exclude=["structure"])
        shares = [stake.share for stake in stakes]
        if problem := shares_problem(shares):
            raise ValidationError(share_message(problem, sum(shares)))

    def write(self, row, related, user, *, previous):
        if row.pk:
            EquityStructure.objects.filter(pk=row.pk).update(is_complete=False)
        row.is_complete = False
        row.save()
        row.stakes.all().delete()
        for stake in related["stakes"]:
            stake.pk = None
            stake.structure = row
            stake.save()
        EquityStructure.objects.filter(pk=row.pk).update(is_complete=True)
        row.is_complete = True
        return row


def save_structure(structure: EquityStructure, stakes: Iterable[Stake], user) -> EquityStructure:
    """Save ``structure`` (new or changed) with exactly ``stakes``, through its door."""
    return door(EquityStructure).save_instance(user, structure, stakes=list(stakes))


@register
class VillagerWeightDoor(Door):
    model = VillagerWeight

    def frozen(self, row) -> str | None:
        return _in_use_message() if structure_in_use(row.structure) else None

    def check(self, row, related, user, *, previous) -> None:
        if structure_in_use(row.structure):
            raise ValidationError(_in_use_message())


def _structures_in_force(project_ids: Iterable[int], year: int) -> dict[int, EquityStructure]:
    """Each project's complete structure in force at the end of ``year``, by project id."""
    structures: dict[int, EquityStructure] = {}
    for structure in EquityStructure.objects.filter(
        project__in=list(project_ids), is_complete=True, valid_from__lte=date(year, 12, 31)
    ).order_by("project", "-valid_from"):
        structures.setdefault(structure.project_id, structure)
    return structures


def structure_in_force(project: Project, year: int) -> EquityStructure | None:
    """The complete structure in force at the end of ``year``."""
    return _structures_in_force([project.pk], year).get(project.pk)


def _household_weights(
    structures: Iterable[EquityStructure], stakes: Mapping[int, list[Stake]], year: int
) -> dict[int, list[tuple[int, Decimal]]]:
    """Each villagers' stake's (household, weight) pairs under its structure's rule, in a
    stable order; households that weigh nothing are left out. A few queries for any number
    of structures."""
    rule = EquityStructure.VillagersRule
    pools = [
        (structure, stake)
        for structure in structures
        for stake in stakes[structure.pk]
        if stake.holder == Stake.Holder.VILLAGERS
    ]
    villages = {stake.village_id for _structure, stake in pools}
    households = defaultdict(list)
    for household, village, members in (
        Household.objects.filter(village__in=villages)
        .order_by("number", "pk")
        .values_list("pk", "village", "members")
    ):
        households[village].append((household, members))
    # Per mu: land leased to the structure's project for at least part of the year.
    per_mu = {s.project_id for s, _stake in pools if s.villagers_rule == rule.PER_MU}
    areas = (
        {
            (project, household): area
            for project, household, area in LandTransfer.objects.filter(
                project__in=per_mu,
                household__village__in=villages,
                start_date__lte=date(year, 12, 31),
                end_date__gt=date(year, 1, 1),
            )
            .values_list("project", "household")
            .annotate(area=Sum("area"))
            .order_by()
        }
        if per_mu
        else {}
    )
    weighted = {s.pk for s, _stake in pools if s.villagers_rule == rule.WEIGHTS}
    weights = (
        {
            (structure, household): weight
            for structure, household, weight in VillagerWeight.objects.filter(
                structure__in=weighted
            ).values_list("structure", "household", "weight")
        }
        if weighted
        else {}
    )

    def weight(structure: EquityStructure, household: int, members: int) -> Decimal:
        match structure.villagers_rule:
            case rule.PER_PERSON:
                return Decimal(members)
            case rule.PER_HOUSEHOLD:
                return Decimal(1)
            case rule.PER_MU:
                return areas.get((structure.project_id, household), ZERO)
            case _:
                return weights.get((structure.pk, household), ZERO)

    pool_weights = {}
    for structure, stake in pools:
        members = ((h, weight(structure, h, n)) for h, n in households[stake.village_id])
        pool_weights[stake.pk] = [(h, w) for h, w in members if w > 0]
    return pool_weights


@dataclass(frozen=True)
class _Plan:
    """A project's distribution worked out, not yet written."""

    project_id: int
    structure: EquityStructure
    profit: Decimal
    lines: list[payouts.PayoutLine]


def _plan(year: int, profits: Mapping[int, Decimal]) -> tuple[list[_Plan], dict]:
    """The payouts of each project's profit (by project id) under its structure in force;
    and the problems, as {project id: (field or None, message)}."""
    problems = {
        project: ("profit", _("The distributable profit must be more than zero."))
        for project, profit in profits.items()
        if profit is None or profit <= 0
    }
    structures = _structures_in_force([p for p in profits if p not in problems], year)
    for project in profits:
        if project not in problems and project not in structures:
            problems[project] = (
                "year",
                _("The project has no complete equity structure in force in %(year)s.")
                % {"year": year},
            )
    stakes = defaultdict(list)
    for stake in Stake.objects.filter(
        structure__in=[s.pk for s in structures.values()]
    ).select_related("village"):
        stakes[stake.structure_id].append(stake)
    pool_weights = _household_weights(structures.values(), stakes, year)
    plans = []
    for project, structure in structures.items():
        shares = [
            payouts.StakeShare(stake.pk, stake.share, stake.holder == Stake.Holder.VILLAGERS)
            for stake in stakes[structure.pk]
        ]
        try:
            lines = payouts.allocate(profits[project], shares, pool_weights)
        except payouts.NoHouseholds as error:
            village = next(s.village for s in stakes[structure.pk] if s.pk == error.stake_id)
            problems[project] = (
                None,
                _(
                    "%(village)s has no households to receive the villagers' share by the rule “%(rule)s”."
                )
                % {"village": village, "rule": structure.get_villagers_rule_display()},
            )
            continue
        plans.append(_Plan(project, structure, profits[project], lines))
    return plans, problems


def _refuse_outside(model, user, ids) -> None:
    """Refuse a bulk step if any of the rows ``ids`` lies outside the user's write scope."""
    ids = list(dict.fromkeys(ids))
    inside = 0
    for chunk in bulk.chunks(ids, 2000):
        inside += model.objects.editable_by(user).filter(pk__in=chunk).count()
    if inside != len(ids):
        raise PermissionDenied


def _insert_payouts(planned: Iterable[tuple[Distribution, _Plan]]) -> None:
    bulk.insert_rows(
        Payout,
        ("distribution", "stake", "household", "amount"),
        (
            (distribution.pk, line.stake_id, line.household_id, line.amount)
            for distribution, plan in planned
            for line in plan.lines
        ),
    )


def _refuse(problems: dict) -> None:
    """One ValidationError naming every project with a problem, in project code order."""
    codes = dict(Project.objects.filter(pk__in=problems).values_list("pk", "code"))
    raise ValidationError(
        [f"{codes[project]}: {problems[project][1]}" for project in sorted(problems, key=codes.get)]
    )


@register
class DistributionDoor(Door):
    """A draft's payouts are computed from its project's structure in force whenever it
    is prepared or changed (redone); whoever last changes a draft becomes its maker, so
    four eyes compare the right people."""

    model = Distribution
    managed_fields = frozenset({"structure", "status", "prepared_by", "approved_by", "posted_at"})

    def frozen(self, row) -> str | None:
        if row.status != Distribution.Status.DRAFT:
            return _("Only a draft distribution can be changed.")
        return None

    def prepare(self, row, user, *, previous) -> None:
        row.prepared_by = user

    def validate(self, row, related, user, *, previous, bulk: bool = False) -> None:
        # The structure follows from the project and the year: plan before the checks.
        row.clean_fields(exclude=["structure", "prepared_by"])
        plans, problems = _plan(row.year, {row.project_id: row.profit})
        if problems:
            field, message = problems[row.project_id]
            raise ValidationError({field: message} if field else message)
        row.structure = plans[0].structure
        related["plan"] = plans[0]
        super().validate(row, related, user, previous=previous, bulk=bulk)

    def write(self, row, related, user, *, previous):
        row.save()
        if previous is not None:
            row.payouts.all().delete()
        _insert_payouts([(row, related["plan"])])
        return row


def prepare_distribution(
    project: Project, year: int, profit: Decimal, user, draft: Distribution | None = None
) -> Distribution:
    """A draft distribution of ``profit`` with its payouts computed (or ``draft`` redone),
    through its door."""
    return door(Distribution).save(
        user, draft, {"project": project, "year": year, "profit": profit}
    )


@transaction.atomic
def prepare_distributions(
    year: int, profits: Mapping[int, Decimal], user, chunk_size: int = 500
) -> int:
    """Draft distributions for many projects at once (a province's year, from its profit
    sheet): all or nothing. Works a chunk of projects at a time, so memory stays bounded
    however many there are; refuses with every project's problem named."""
    authorize(user, "create", model=Distribution)
    _refuse_outside(Project, user, profits)
    problems: dict = {}
    prepared = 0
    for chunk in bulk.chunks(list(profits), chunk_size):
        plans, chunk_problems = _plan(year, {project: profits[project] for project in chunk})
        for project in Distribution.objects.filter(year=year, project__in=chunk).values_list(
            "project", flat=True
        ):
            chunk_problems[project] = (
                None,
                _("The project already has a distribution for that year."),
            )
        problems.update(chunk_problems)
        if problems:  # keep looking for more problems, write nothing more
            continue
        with history.recorded():
            distributions = Distribution.objects.bulk_create(
                Distribution(
                    project_id=plan.project_id,
                    year=year,
                    profit=plan.profit,
                    structure=plan.structure,
                    prepared_by=user,
                )
                for plan in plans
            )
        history.record_creates(
            Distribution.objects.filter(pk__in=[d.pk for d in distributions]).select_related(
                "project"
            ),
            ("project", "year", "profit", "structure", "status", "prepared_by"),
            user,
        )
        _insert_payouts(zip(distributions, plans, strict=True))
        prepared += len(plans)
    if problems:
        _refuse(problems)
    return prepared


def _approval_problem(status: str, prepared_by_id: int, user) -> str | None:
    if status != Distribution.Status.DRAFT:
        return _("Only a draft distribution can be approved.")
    if prepared_by_id == user.pk:
        return _("Whoever prepared a distribution cannot approve it.")
    return None


@transaction.atomic
def approve_distribution(distribution: Distribution, user) -> Distribution:
    """Approve a draft: the second pair of eyes (never whoever prepared it)."""
    authorize(user, "approve", distribution)
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if problem := _approval_problem(distribution.status, distribution.prepared_by_id, user):
        raise ValidationError(problem)
    distribution.status = Distribution.Status.APPROVED
    distribution.approved_by = user
    distribution.save(update_fields=["status", "approved_by", "updated_at"])
    return distribution


@transaction.atomic
def approve_distributions(ids: Sequence[int], user, chunk_size: int = 2000) -> int:
    """Approve many drafts at once, all or nothing, under the same rule as one."""
    authorize(user, "approve", model=Distribution)
    _refuse_outside(Distribution, user, ids)
    problems = {}
    for chunk in bulk.chunks(list(ids), chunk_size):
        rows = (
            Distribution.objects.select_for_update()
            .filter(pk__in=chunk)
            .values_list("pk", "project", "status", "prepared_by")
        )
        for _pk, project, status, prepared_by in rows:
            if problem := _approval_problem(status, prepared_by, user):
                problems[project] = (None, problem)
        if not problems:
            approved = Distribution.objects.filter(pk__in=chunk)
            with history.recorded():
                approved.update(
                    status=Distribution.Status.APPROVED,
                    approved_by=user,
                    updated_at=timezone.now(),
                )
            history.record_updates(
                approved.select_related("project"),
                {
                    "status": (Distribution.Status.DRAFT, Distribution.Status.APPROVED),
                    "approved_by": (None, user),
                },
                user,
            )
    if problems:
        _refuse(problems)
    return len(ids)


# The project's line pays the profit out; each payout's line credits its payee's account:
# the household, else the stake's village group, enterprise or village collective.
PROJECT_ACCOUNT = "'project:' || CAST(d.project_id AS TEXT)"
PAYEE_ACCOUNT = """
       CASE WHEN p.household_id IS NOT NULL THEN 'household:' || CAST(p.household_id AS TEXT)
            WHEN s.village_group_id IS NOT NULL THEN 'village_group:' || CAST(s.village_group_id AS TEXT)
            WHEN s.enterprise_id IS NOT NULL THEN 'enterprise:' || CAST(s.enterprise_id AS TEXT)
            ELSE 'village:' || CAST(s.village_id AS TEXT) END"""
_POSTING_LINES = f"""
INSERT INTO benefits_journalline (entry_id, payout_id, account, amount)
SELECT e.id, NULL, {PROJECT_ACCOUNT}, -d.profit
  FROM benefits_journalentry e JOIN benefits_distribution d ON d.id = e.distribution_id
 WHERE e.id IN ({{entries}})
UNION ALL
SELECT e.id, p.id, {PAYEE_ACCOUNT}, p.amount
  FROM benefits_journalentry e
  JOIN benefits_payout p ON p.distribution_id = e.distribution_id
  JOIN benefits_stake s ON s.id = p.stake_id
 WHERE e.id IN ({{entries}})
"""


def _post_locked(approved: Sequence[tuple[int, int]], user) -> list[JournalEntry]:
    """Post (distribution id, year) pairs already locked and approved: one entry each, its
    lines written by the database from the payouts (no row comes back through Python)."""
    entries = JournalEntry.objects.bulk_create(
        JournalEntry(
            distribution_id=pk,
            kind=JournalEntry.Kind.POSTING,
            created_by=user,
            memo=_("Dividends %(year)s") % {"year": year},
        )
        for pk, year in approved
    )
    if entries:
        with connection.cursor() as cursor:
            ids = [entry.pk for entry in entries]
            cursor.execute(_POSTING_LINES.format(entries=", ".join(["%s"] * len(ids))), ids * 2)
        now = timezone.now()
        posted = Distribution.objects.filter(pk__in=[pk for pk, _year in approved])
        with history.recorded():
            posted.update(status=Distribution.Status.POSTED, posted_at=now, updated_at=now)
        history.record_updates(
            posted.select_related("project"),
            {
                "status": (Distribution.Status.APPROVED, Distribution.Status.POSTED),
                "posted_at": (None, now),
            },
            user,
            at=now,
        )
    return entries


def post_distribution(distribution: Distribution, user) -> JournalEntry:
    """Post an approved distribution to the journal, exactly once.

    Posting again, or from two requests at the same moment, returns the one entry: the
    row lock serialises the requests and the unique (distribution, kind) constraint
    stops a second entry whatever happens.
    """
    authorize(user, "post", distribution)
    try:
        with transaction.atomic():
            locked = Distribution.objects.select_for_update().get(pk=distribution.pk)
            if locked.status == Distribution.Status.POSTED:
                return locked.journal_entries.get(kind=JournalEntry.Kind.POSTING)
            if locked.status != Distribution.Status.APPROVED:
                raise ValidationError(_("Only an approved distribution can be posted."))
            [entry] = _post_locked([(locked.pk, locked.year)], user)
            return entry
    except IntegrityError:
        # Another request posted it between our lock and insert (no lock on SQLite).
        return JournalEntry.objects.get(distribution=distribution, kind=JournalEntry.Kind.POSTING)


def post_distributions(ids: Sequence[int], user, chunk_size: int = 500) -> int:
    """Post many approved distributions, a chunk per transaction. Posted ones are skipped,
    so a run that stopped halfway is finished by running it again; any other status is
    refused before anything is posted. Returns how many this run posted."""
    ids = list(ids)
    authorize(user, "post", model=Distribution)
    _refuse_outside(Distribution, user, ids)
    problems = {}
    for chunk in bulk.chunks(ids, chunk_size):
        problems.update(
            (project, (None, _("Only an approved distribution can be posted.")))
            for project in Distribution.objects.filter(pk__in=chunk)
            .exclude(status__in=(Distribution.Status.APPROVED, Distribution.Status.POSTED))
            .values_list("project", flat=True)
        )
    if problems:
        _refuse(problems)
    posted = 0
    for chunk in bulk.chunks(ids, chunk_size):
        with transaction.atomic():
            approved = list(
                Distribution.objects.select_for_update()
                .filter(pk__in=chunk, status=Distribution.Status.APPROVED)
                .values_list("pk", "year")
            )
            posted += len(_post_locked(approved, user))
    return posted


@transaction.atomic
def reverse_distribution(distribution: Distribution, user, memo: str = "") -> JournalEntry:
    """Cancel a posted distribution with an opposite entry; a new one may then be prepared."""
    authorize(user, "reverse", distribution)
    locked = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if locked.status != Distribution.Status.POSTED:
        raise ValidationError(_("Only a posted distribution can be reversed."))
    posting = locked.journal_entries.get(kind=JournalEntry.Kind.POSTING)
    entry = JournalEntry.objects.create(
        distribution=locked, kind=JournalEntry.Kind.REVERSAL, created_by=user, memo=memo
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO benefits_journalline (entry_id, payout_id, account, amount) "
            "SELECT %s, payout_id, account, -amount FROM benefits_journalline WHERE entry_id = %s",
            [entry.pk, posting.pk],
        )
    locked.status = Distribution.Status.REVERSED
    locked.save(update_fields=["status", "updated_at"])
    return entry


@register
class LandTransferDoor(Door):
    """A lease is checked under a lock on its village (and on itself, against payments
    recorded meanwhile), so that two leases saved at the same moment cannot together
    exceed what the village has; in an import, each against those saved before it."""

    model = LandTransfer
    one_by_one = True

    def prepare(self, row, user, *, previous) -> None:
        Village.objects.select_for_update().filter(pk=row.village_id).first()


def save_land_transfer(transfer: LandTransfer, user) -> LandTransfer:
    return door(LandTransfer).save_instance(user, transfer)


@register
class RentPaymentDoor(Door):
    """A payment is checked under a lock on its lease, so that two payments recorded at
    the same moment cannot together pay a year beyond what is due."""

    model = RentPayment

    def prepare(self, row, user, *, previous) -> None:
        LandTransfer.objects.select_for_update().filter(pk=row.transfer_id).first()


def record_rent_payment(payment: RentPayment, user) -> RentPayment:
    return door(RentPayment).save_instance(user, payment)
