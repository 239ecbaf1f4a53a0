"""Pairings' and matching runs' doors, and the task force's decisions on recommendations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.core.doors import Door, authorize, door, register
from cunqi.pairing.models import MatchingRun, Pairing, Recommendation

if TYPE_CHECKING:
    from cunqi.accounts.models import User


@register
class MatchingRunDoor(Door):
    """A run is recorded and queued; the task computes it once the run is committed."""

    model = MatchingRun

    def prepare(self, row: MatchingRun, user: User, *, previous: MatchingRun | None) -> None:
        row.started_by = user

    def write(
        self, row: MatchingRun, related: dict, user: User, *, previous: MatchingRun | None
    ) -> MatchingRun:
        from cunqi.pairing.tasks import run_matching

        row.save()
        transaction.on_commit(lambda: run_matching.enqueue(row.pk))
        return row


def start_run(run: MatchingRun, user: User) -> MatchingRun:
    return door(MatchingRun).save_instance(user, run)


def _locked_pending(recommendation: Recommendation) -> Recommendation:
    locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if locked.decision != Recommendation.Decision.PENDING:
        raise ValidationError(_("This recommendation has already been decided."))
    return locked


@transaction.atomic
def accept(recommendation: Recommendation, user: User) -> Pairing:
    """Turn a recommendation into a proposed pairing (its history records who and when)."""
    authorize(user, "decide", recommendation)
    locked = _locked_pending(recommendation)
    pairing = door(Pairing).create(
        user,
        {
            "village": locked.village,
            "enterprise": locked.enterprise,
            "status": Pairing.Status.PROPOSED,
            "start_date": timezone.localdate(),
            "note": _("Recommended by matching run #%(run)s with a score of %(score).3f.")
            % {"run": locked.run_id, "score": locked.score},
        },
    )
    locked.decision = Recommendation.Decision.ACCEPTED
    locked.pairing = pairing
    locked.decided_by, locked.decided_at = user, timezone.now()
    locked.save()
    return pairing


@transaction.atomic
def reject(recommendation: Recommendation, user: User, reason: str) -> Recommendation:
    """Record that the task force does not follow a recommendation, and why."""
    authorize(user, "decide", recommendation)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the recommendation is rejected.")})
    locked = _locked_pending(recommendation)
    locked.decision = Recommendation.Decision.REJECTED
    locked.reason = reason.strip()[:300]
    locked.decided_by, locked.decided_at = user, timezone.now()
    locked.save()
    return locked
