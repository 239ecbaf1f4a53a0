"""A year's distributions: prepared with their payouts to households (one or many projects
at once), and approved by someone other than their preparer."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.benefits import payouts
from cunqi.benefits.models import (
    Distribution,
    EquityStructure,
    LandTransfer,
    Payout,
    Stake,
    VillagerWeight,
)
from cunqi.core import bulk, history
from cunqi.core.doors import Door, authorize, door, register
from cunqi.core.fields import ZERO
from cunqi.projects.models import Project
from cunqi.registry.models import Household

if TYPE_CHECKING:
    from cunqi.accounts.models import User
from django.db.models import Model

from cunqi.benefits.services.equity import structures_in_force


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
    structures = structures_in_force([p for p in profits if p not in problems], year)
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


def refuse_outside_scope(model: type[Model], user: User, ids: Iterable[int]) -> None:
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


def refuse_problems(problems: dict) -> None:
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

    def frozen(self, row: Distribution) -> str | None:
        if row.status != Distribution.Status.DRAFT:
            return _("Only a draft distribution can be changed.")
        return None

    def prepare(self, row: Distribution, user: User, *, previous: Distribution | None) -> None:
        row.prepared_by = user

    def validate(
        self,
        row: Distribution,
        related: dict,
        user: User,
        *,
        previous: Distribution | None,
        bulk: bool = False,
    ) -> None:
        # The structure follows from the project and the year: plan before the checks.
        row.clean_fields(exclude=["structure", "prepared_by"])
        plans, problems = _plan(row.year, {row.project_id: row.profit})
        if problems:
            field, message = problems[row.project_id]
            raise ValidationError({field: message} if field else message)
        row.structure = plans[0].structure
        related["plan"] = plans[0]
        super().validate(row, related, user, previous=previous, bulk=bulk)

    def write(
        self, row: Distribution, related: dict, user: User, *, previous: Distribution | None
    ) -> Distribution:
        row.save()
        if previous is not None:
            row.payouts.all().delete()
        _insert_payouts([(row, related["plan"])])
        return row


def prepare_distribution(
    project: Project, year: int, profit: Decimal, user: User, draft: Distribution | None = None
) -> Distribution:
    """A draft distribution of ``profit`` with its payouts computed (or ``draft`` redone),
    through its door."""
    return door(Distribution).save(
        user, draft, {"project": project, "year": year, "profit": profit}
    )


@transaction.atomic
def prepare_distributions(
    year: int, profits: Mapping[int, Decimal], user: User, chunk_size: int = 500
) -> int:
    """Draft distributions for many projects at once (a province's year, from its profit
    sheet): all or nothing. Works a chunk of projects at a time, so memory stays bounded
    however many there are; refuses with every project's problem named."""
    authorize(user, "create", model=Distribution)
    refuse_outside_scope(Project, user, profits)
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
        refuse_problems(problems)
    return prepared


def _approval_problem(status: str, prepared_by_id: int, user: User) -> str | None:
    if status != Distribution.Status.DRAFT:
        return _("Only a draft distribution can be approved.")
    if prepared_by_id == user.pk:
        return _("Whoever prepared a distribution cannot approve it.")
    return None


@transaction.atomic
def approve_distribution(distribution: Distribution, user: User) -> Distribution:
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
def approve_distributions(ids: Sequence[int], user: User, chunk_size: int = 2000) -> int:
    """Approve many drafts at once, all or nothing, under the same rule as one."""
    authorize(user, "approve", model=Distribution)
    refuse_outside_scope(Distribution, user, ids)
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
        refuse_problems(problems)
    return len(ids)
