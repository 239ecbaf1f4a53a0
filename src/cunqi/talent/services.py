from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from cunqi.pairing.models import Pairing

if TYPE_CHECKING:
    from cunqi.talent.models import Advisor


def check_advisor_term(advisor: Advisor) -> None:
    """An advisor is stationed through a pairing: its enterprise must be paired with the
    village, and the term must lie within the pairing's dates."""
    if not (
        advisor.enterprise_id and advisor.village_id and advisor.term_start and advisor.term_end
    ):
        return
    if advisor.term_end < advisor.term_start:
        raise ValidationError({"term_end": _("The term cannot end before it starts.")})
    pairings = Pairing.objects.filter(
        enterprise_id=advisor.enterprise_id, village_id=advisor.village_id
    )
    if not pairings.exists():
        raise ValidationError({"village": _("The enterprise is not paired with this village.")})
    covering = pairings.filter(start_date__lte=advisor.term_start).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=advisor.term_end)
    )
    if not covering.exists():
        pairing = pairings.order_by("start_date").first()
        raise ValidationError(
            {
                "term_end": _(
                    "The term must lie within the pairing's dates (%(start)s to %(end)s)."
                )
                % {
                    "start": pairing.start_date.isoformat(),
                    "end": pairing.end_date.isoformat() if pairing.end_date else "…",
                }
            }
        )
