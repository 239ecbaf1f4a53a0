"""A quarterly review opened from its subject's page (a zone, a town, a pairing) for the
last closed quarter, filled in from that quarter's figures."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cunqi.core.panels import Panel, register
from cunqi.supervision.models import Instruction, RuleSetting
from cunqi.supervision.rules import last_closed_quarter
from cunqi.supervision.views.instructions import InstructionViews


def _review_link(subject: str) -> Callable[[Model], list[tuple[str, str]]]:
    def links(obj: Model) -> list[tuple[str, str]]:
        first = last_closed_quarter(timezone.localdate(), RuleSetting.report_due_day())[0]
        year, quarter = first.year, (first.month - 1) // 3 + 1
        query = urlencode({"year": year, "quarter": quarter, subject: obj.pk})
        label = _("Review Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
        return [(label, f"{reverse('supervision:quarterlyreview_add')}?{query}")]

    return links


register(
    *(
        Panel(
            label, links=_review_link(subject), links_for=("create", "supervision.QuarterlyReview")
        )
        for label, subject in (
            ("registry.Zone", "zone"),
            ("registry.Town", "town"),
            ("pairing.Pairing", "pairing"),
        )
    )
)


def _instruction_link(subject: str) -> Callable[[Model], list[tuple[str, str]]]:
    def links(obj: Model) -> list[tuple[str, str]]:
        url = f"{reverse('supervision:instruction_add')}?{urlencode({subject: obj.pk})}"
        return [(_("Give an instruction (批示)"), url)]

    return links


# A leader's instructions (批示) on a pairing, a project, a card or a report, and the
# button that gives one, on its page.
register(
    *(
        panel
        for label, subject in (
            ("pairing.Pairing", "pairing"),
            ("projects.Project", "project"),
            ("supervision.Card", "card"),
            ("supervision.MonthlyReport", "report"),
        )
        for panel in (
            Panel(
                label,
                _("Leaders' instructions (批示)"),
                InstructionViews,
                lambda obj, subject=subject: Instruction.objects.filter(**{subject: obj.pk}),
                exclude=(subject,),
                order=90,
            ),
            Panel(
                label,
                links=_instruction_link(subject),
                links_for=("create", "supervision.Instruction"),
                order=90,
            ),
        )
    )
)
