"""A project's funding on its page: the allocations, their mix, and the policies it
may be eligible for."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cunqi.core import ratios
from cunqi.core.fields import ZERO
from cunqi.core.panels import Panel, register
from cunqi.funds import selectors
from cunqi.funds.views import AllocationViews

if TYPE_CHECKING:
    from cunqi.projects.models import Project


def _project_figures(project: Project) -> list[tuple[str, object]]:
    funding = selectors.project_funding(project)
    allocated = sum((line.allocated for line in funding), ZERO)
    disbursed = sum((line.disbursed for line in funding), ZERO)
    mix = "、".join(
        f"{line.source} {ratios.percent(line.allocated, allocated, Decimal(1))}%"
        for line in funding
    )
    return [
        (
            _("Funds allocated / disbursed (yuan)"),
            f"{allocated:,.2f} / {disbursed:,.2f}" if funding else "—",
        ),
        (_("Funding mix"), mix or "—"),
    ]


register(
    Panel(
        "projects.Project",
        _("Fund allocations"),
        AllocationViews,
        lambda project: project.allocations.all(),
        exclude=("project",),
        figures=_project_figures,
        links=lambda project: [
            (_("Eligible policies"), reverse("funds:project_policies", args=[project.pk]))
        ],
        order=30,
    ),
)
