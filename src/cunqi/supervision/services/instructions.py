"""Leaders' instructions (批示): written by a leader in their own name, answered by the
unit they name, then closed by the leader or sent back for more."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.core.doors import Door, authorize, is_city_wide_writer, register
from cunqi.core.roles import Role
from cunqi.supervision import notices
from cunqi.supervision.models import Instruction

if TYPE_CHECKING:
    from cunqi.accounts.models import User


@register
class InstructionDoor(Door):
    """An instruction is changed by its leader while it awaits its answer; once answered,
    only closing it or sending it back changes it."""

    model = Instruction
    managed_fields = frozenset(
        {
            "status",
            "given_on",
            "given_by",
            "answer",
            "answered_on",
            "answered_by",
            "follow_up",
            "closed_on",
        }
    )

    def frozen(self, row: Instruction) -> str | None:
        if row.status != Instruction.Status.OPEN:
            return _("An answered or closed instruction can no longer be changed.")
        return None

    def prepare(self, row: Instruction, user: User, *, previous: Instruction | None) -> None:
        if previous is None:
            row.given_on = timezone.localdate()
            row.given_by = user
            if row.leader_id is None and getattr(user, "role", None) == Role.LEADER:
                row.leader_id = user.person_id

    def write(
        self, row: Instruction, related: dict, user: User, *, previous: Instruction | None
    ) -> Instruction:
        saved = super().write(row, related, user, previous=previous)
        if previous is None:
            notices.notify_instruction(saved)
        return saved

    def check(
        self, row: Instruction, related: dict, user: User, *, previous: Instruction | None
    ) -> None:
        leader = getattr(user, "role", None) == Role.LEADER
        if leader and row.leader_id not in (None, user.person_id):
            # The task force may record an instruction for a leader; a leader gives their own.
            raise ValidationError({"leader": _("A leader gives instructions in their own name.")})
        if row.leader_id is None:
            raise ValidationError(
                {
                    "leader": _(
                        "Your account is not linked to a city leader: ask the task force to "
                        "link it."
                    )
                    if leader
                    else _("Choose the city leader who gives the instruction.")
                }
            )


def answers(instruction: Instruction, user: User) -> bool:
    """Whether ``user`` speaks for the unit ``instruction`` names (the task force may
    answer for any)."""
    if is_city_wide_writer(user):
        return True
    if user.role == Role.TOWN:
        return instruction.answer_town_id is not None and instruction.answer_town_id == user.town_id
    if user.role == Role.DEPARTMENT:
        return (
            instruction.answer_department_id is not None
            and instruction.answer_department_id == user.department_id
        )
    return False


@transaction.atomic
def answer_instruction(instruction: Instruction, user: User, answer: str) -> Instruction:
    """The named unit's answer; the leader is told."""
    authorize(user, "answer", instruction)
    locked = Instruction.objects.select_for_update().get(pk=instruction.pk)
    if not answers(locked, user):
        raise PermissionDenied
    if locked.status != Instruction.Status.OPEN:
        raise ValidationError(_("Only an instruction awaiting its answer can be answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    locked.status = Instruction.Status.ANSWERED
    locked.answer = answer.strip()
    locked.answered_on = timezone.localdate()
    locked.answered_by = user
    locked.full_clean()
    locked.save()
    notices.notify_instruction(locked)
    return locked


@transaction.atomic
def follow_up_instruction(
    instruction: Instruction, user: User, *, close: bool, comment: str = ""
) -> Instruction:
    """The leader closes an answered instruction, or sends it back with what is still
    wanted (the unit is told either way)."""
    authorize(user, "close", instruction)
    locked = Instruction.objects.select_for_update().get(pk=instruction.pk)
    if locked.status != Instruction.Status.ANSWERED:
        raise ValidationError(_("Only an answered instruction can be closed or sent back."))
    comment = comment.strip()
    if not close and not comment:
        raise ValidationError({"follow_up": _("Say what is still wanted before sending it back.")})
    locked.follow_up = comment or locked.follow_up
    if close:
        locked.status = Instruction.Status.CLOSED
        locked.closed_on = timezone.localdate()
    else:
        locked.status = Instruction.Status.OPEN
    locked.full_clean()
    locked.save()
    notices.notify_instruction(locked)
    return locked
