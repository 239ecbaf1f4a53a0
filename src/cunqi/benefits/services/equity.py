"""Equity structures and villagers' weights: saved through their doors, frozen once a
distribution uses them; which structure is in force for a project's year."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cunqi.benefits.equity import shares_problem
from cunqi.benefits.models import (
    Distribution,
    EquityStructure,
    Stake,
    VillagerWeight,
)
from cunqi.core.doors import Door, door, register
from cunqi.projects.models import Project

if TYPE_CHECKING:
    from cunqi.accounts.models import User


def share_message(problem: str, total: Decimal) -> str:
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

    def frozen(self, row: EquityStructure) -> str | None:
        return _in_use_message() if structure_in_use(row) else None

    def check(
        self, row: EquityStructure, related: dict, user: User, *, previous: EquityStructure | None
    ) -> None:
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

    def write(
        self, row: EquityStructure, related: dict, user: User, *, previous: EquityStructure | None
    ) -> EquityStructure:
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


def save_structure(
    structure: EquityStructure, stakes: Iterable[Stake], user: User
) -> EquityStructure:
    """Save ``structure`` (new or changed) with exactly ``stakes``, through its door."""
    return door(EquityStructure).save_instance(user, structure, stakes=list(stakes))


@register
class VillagerWeightDoor(Door):
    model = VillagerWeight

    def frozen(self, row: VillagerWeight) -> str | None:
        return _in_use_message() if structure_in_use(row.structure) else None

    def check(
        self, row: VillagerWeight, related: dict, user: User, *, previous: VillagerWeight | None
    ) -> None:
        if structure_in_use(row.structure):
            raise ValidationError(_in_use_message())


def structures_in_force(project_ids: Iterable[int], year: int) -> dict[int, EquityStructure]:
    """Each project's complete structure in force at the end of ``year``, by project id."""
    structures: dict[int, EquityStructure] = {}
    for structure in EquityStructure.objects.filter(
        project__in=list(project_ids), is_complete=True, valid_from__lte=date(year, 12, 31)
    ).order_by("project", "-valid_from"):
        structures.setdefault(structure.project_id, structure)
    return structures


def structure_in_force(project: Project, year: int) -> EquityStructure | None:
    """The complete structure in force at the end of ``year``."""
    return structures_in_force([project.pk], year).get(project.pk)
