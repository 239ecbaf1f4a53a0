"""The projects on the registry's and the pairings' pages; a monthly report's investment
as the project's rows hold it."""

from __future__ import annotations

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from cunqi.core.panels import Panel, register
from cunqi.projects import selectors
from cunqi.projects.views import ProjectViews


def _report_figures(report: Model) -> list[tuple[str, object]]:
    if not report.project_id:
        return []
    month = selectors.month_investment(report.project, report.month)
    share = month.to_date.completed_share
    return [
        (
            _("Completed investment of the month, as recorded (yuan)")
            if month.reported
            else _("Completed investment of the month, before this report (yuan)"),
            f"{month.completed:,.2f}",
        ),
        (
            _("Completed to the month's end / planned (yuan)"),
            f"{month.to_date.completed:,.2f} / {month.to_date.planned:,.2f}"
            + (f" ({share}%)" if share is not None else ""),
        ),
    ]


register(
    Panel("registry.Village", _("Projects"), ProjectViews, lambda v: v.projects.all(), order=20),
    Panel("registry.Enterprise", _("Projects"), ProjectViews, lambda e: e.projects.all(), order=20),
    Panel(
        "pairing.Pairing",
        _("Projects of this pairing"),
        ProjectViews,
        lambda pairing: pairing.village.projects.filter(enterprises=pairing.enterprise_id),
    ),
    Panel("supervision.MonthlyReport", figures=_report_figures, order=10),
)
