"""Cards: issued, updated and resolved by the rules' findings, cleared by the task force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.core import history
from cunqi.core.doors import Door, authorize, register
from cunqi.supervision import notices
from cunqi.supervision.models import (
    Card,
)
from cunqi.supervision.selectors.cards import findings

if TYPE_CHECKING:
    from cunqi.accounts.models import User


@register
class CardDoor(Door):
    """A card is issued by the rules; its rectification is written until it is cleared."""

    model = Card

    def frozen(self, row: Card) -> str | None:
        if row.status == Card.Status.CLEARED:
            return _("A cleared card can no longer be changed.")
        return None


@dataclass(frozen=True)
class Evaluation:
    issued: int
    updated: int
    resolved: int  # red and yellow cards whose rule no longer fires, to confirm
    lapsed: int  # green cards no longer earned


@transaction.atomic
def evaluate_cards(today: date | None = None) -> Evaluation:
    """Issue, update and resolve cards by today's findings: a new card where a rule fires
    first, the colour and figures kept current while it fires, and once it no longer does,
    "to confirm" for a red or yellow card (the task force then clears it) or lapsed for a
    green one. Cards are never deleted."""
    today = today or timezone.localdate()
    fired = findings(today)
    open_cards = {
        (card.rule, card.subject_key): card
        for card in Card.objects.exclude(status=Card.Status.CLEARED).select_for_update()
    }
    new, changed = [], {}
    for key, (finding, subject) in fired.items():
        card = open_cards.pop(key, None)
        if card is None:
            new.append(
                Card(
                    rule=key[0],
                    colour=finding.colour,
                    subject_key=subject.key,
                    project_id=subject.project_id,
                    pairing_id=subject.pairing_id,
                    action_item_id=subject.action_item_id,
                    town_id=subject.town_id,
                    reason=finding.reason,
                    figures=finding.figures,
                    issued_on=today,
                    evaluated_on=today,
                )
            )
            continue
        state = (finding.colour, finding.reason, finding.figures, Card.Status.OPEN)
        if (card.colour, card.reason, card.figures, card.status) == state:
            continue  # unchanged: only its evaluation date moves, below
        if card.colour != finding.colour:
            card.colour_changed_on = today
        before = (card.colour, card.reason, card.status)
        card.colour, card.reason, card.figures, card.status = state
        changed[card] = {
            name: (old, new)
            for name, old, new in zip(
                ("colour", "reason", "status"), before, state[:2] + state[3:], strict=True
            )
            if old != new
        }
    updated = len(changed)
    resolved = lapsed = 0
    for card in open_cards.values():
        if card.colour == Card.Colour.GREEN:
            # A commendation no longer earned lapses: there is nothing to rectify or confirm.
            card.status, card.cleared_on = Card.Status.CLEARED, today
            changed[card] = {"status": (Card.Status.OPEN, Card.Status.CLEARED)}
            lapsed += 1
        elif card.status == Card.Status.OPEN:
            card.status = Card.Status.RESOLVED
            changed[card] = {"status": (Card.Status.OPEN, Card.Status.RESOLVED)}
            resolved += 1
    with history.recorded():
        Card.objects.bulk_create(new, batch_size=2000)
        # Only cards whose colour, figures or status changed are rewritten row by row.
        Card.objects.bulk_update(
            list(changed),
            ["colour", "reason", "figures", "status", "colour_changed_on", "cleared_on"],
            batch_size=500,
        )
    history.record_creates(new, ("rule", "colour", "reason", "status"), None)
    history.record_changes(changed, None)
    notices.notify_new_cards(new)
    # The evaluation date is left out of a card's history (settings): it moves daily.
    Card.objects.exclude(status=Card.Status.CLEARED).exclude(evaluated_on=today).update(
        evaluated_on=today
    )
    return Evaluation(issued=len(new), updated=updated, resolved=resolved, lapsed=lapsed)


@transaction.atomic
def clear_card(card: Card, user: User) -> Card:
    """The task force confirms that a card whose rule no longer fires is cleared."""
    authorize(user, "clear", card)
    locked = Card.objects.select_for_update().get(pk=card.pk)
    if locked.status != Card.Status.RESOLVED:
        raise ValidationError(
            _("The rule still fires for this card: it can be cleared once it no longer does.")
        )
    locked.status = Card.Status.CLEARED
    locked.cleared_on, locked.cleared_by = timezone.localdate(), user
    locked.save()
    return locked
