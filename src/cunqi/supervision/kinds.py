"""The monthly reports' Excel kind."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cunqi.exchange import cells
from cunqi.exchange.cells import Column
from cunqi.exchange.kinds import (
    Kind,
    register,
    visible_map,
)
from cunqi.projects.models import Project
from cunqi.supervision.models import MonthlyReport

MONTHLY_REPORTS = Kind(
    code="monthly_reports",
    model=MonthlyReport,
    title=pgettext_lazy("exchange kind", "monthly reports"),
    columns=(
        Column(
            "project",
            _("project code"),
            cells.text(30),
            required=True,
            example="XM-0001",
            reference="project",
        ),
        Column("month", _("month"), cells.month, required=True, example="2026-03"),
        Column(
            "investment_completed",
            _("investment completed this month (yuan)"),
            cells.money(),
            example="120000.00",
        ),
        Column("milestones", _("milestones reached"), cells.text(2000), example="大棚主体完工"),
        Column("output_value", _("output value (yuan)"), cells.money(), example="0"),
        Column("sales", _("sales (yuan)"), cells.money(), example="0"),
        Column("problems", _("problems met"), cells.text(2000)),
    ),
    key=("project", "month"),
    references={"project": lambda user: visible_map(Project, user, "code")},
    exports={"project": "project__code"},
    order=90,
)

register(MONTHLY_REPORTS)
