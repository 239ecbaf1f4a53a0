"""Demonstration towns named by the criteria, and nominations decided."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cunqi.core.doors import Door, authorize, register
from cunqi.supervision.models import (
    Nomination,
)
from cunqi.supervision.selectors.recognition import demonstration_towns

if TYPE_CHECKING:
    from cunqi.accounts.models import User
    from cunqi.registry.models import Town


@register
class NominationDoor(Door):
    model = Nomination
    managed_fields = frozenset({"status", "decision_note"})

    def frozen(self, row: Nomination) -> str | None:
        if row.status != Nomination.Status.NOMINATED:
            return _("This nomination has already been decided.")
        return None


@transaction.atomic
def name_demonstration_towns(towns: Iterable[Town]) -> int:
    """Make the towns' demonstration flag what the criteria say; returns how many changed."""
    changed = 0
    for item in demonstration_towns(towns):
        if item.town.is_demonstration != item.verdict.qualifies:
            item.town.is_demonstration = item.verdict.qualifies
            item.town.save(update_fields=["is_demonstration", "updated_at"])  # with history
            changed += 1
    return changed


@transaction.atomic
def decide_nomination(
    nomination: Nomination, user: User, *, approve: bool, note: str = ""
) -> Nomination:
    """Approve or decline a nomination; an approved project becomes a demonstration
    project (saved with its history)."""
    authorize(user, "decide", nomination)
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if locked.status != Nomination.Status.NOMINATED:
        raise ValidationError(_("This nomination has already been decided."))
    locked.status = Nomination.Status.APPROVED if approve else Nomination.Status.DECLINED
    locked.decision_note = note.strip()[:300]
    locked.save()
    if approve and locked.project_id and not locked.project.is_demonstration:
        locked.project.is_demonstration = True
        locked.project.save(update_fields=["is_demonstration", "updated_at"])
    return locked
