"""Benefit linkage on the pages of villages, households and projects: the collective's
and a household's statements, a project's equity and wages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cunqi.benefits import linkage, selectors, statements
from cunqi.benefits.views import EquityStructureViews
from cunqi.core.panels import Panel, register

if TYPE_CHECKING:
    from cunqi.projects.models import Project
    from cunqi.registry.models import Household, Village


def _last_year() -> int:
    return timezone.localdate().year - 1


def _linkage_figures(found: linkage.Linkage, year: int) -> list[tuple[str, object]]:
    """The linkage of a project or a village in ``year`` (联农带农), from the rows."""
    modes = _(
        "employment %(employment)s · dividends %(dividend)s · land %(land)s · orders %(order)s"
    )
    change = found.income_change
    return [
        (
            _("Households linked in %(year)s") % {"year": year},
            f"{found.households} ({modes % found.by_mode})",
        ),
        (
            _("of which lifted out of poverty / under monitoring"),
            f"{found.lifted} / {found.monitored}",
        ),
        (
            _("Their income from the programme in %(year)s (yuan)") % {"year": year},
            f"{found.income:,.2f}" + (f" ({change:+}%)" if change is not None else ""),
        ),
    ]


def _village_figures(village: Village) -> list[tuple[str, object]]:
    this_year = timezone.localdate().year
    linked = linkage.linkage(this_year, households=village.households.all())
    return [*_collective_figures(village), *_linkage_figures(linked, this_year)]


def _collective_figures(village: Village) -> list[tuple[str, object]]:
    year = _last_year()
    computed = statements.village_collective_statement(village, year).total
    recorded = village.incomes.filter(year=year).values_list("amount", flat=True).first()
    return [
        (
            _("Collective income %(year)s from dividends and rents") % {"year": year},
            f"{computed:,.2f}",
        ),
        (
            _("Collective income %(year)s as recorded") % {"year": year},
            f"{recorded:,.2f}" if recorded else "—",
        ),
    ]


def _village_links(village: Village) -> list[tuple[str, str]]:
    year = _last_year()
    url = reverse("benefits:village_statement", args=[village.pk, year])
    return [
        (_("Collective statement %(year)s") % {"year": year}, url),
        (_("Households linked"), f"{reverse('benefits:linkage')}?village={village.pk}"),
    ]


def _household_links(household: Household) -> list[tuple[str, str]]:
    return [
        (
            _("Statement %(year)s") % {"year": year},
            reverse("benefits:household_statement", args=[household.pk, year]),
        )
        for year in (_last_year(), _last_year() + 1)
    ]


def _project_figures(project: Project) -> list[tuple[str, object]]:
    today = timezone.localdate()
    wages = selectors.project_wages(project, today.replace(day=1))
    linked = linkage.linkage(today.year, projects=type(project).objects.filter(pk=project.pk))
    return [
        *_linkage_figures(linked, today.year),
        (_("Villagers employed this month"), wages.employed),
        (
            _("Average monthly wage (yuan)"),
            f"{wages.average_monthly_wage:,.2f}" if wages.average_monthly_wage else "—",
        ),
    ]


def _report_figures(report: Model) -> list[tuple[str, object]]:
    """The report's month as the employment rows have it: the report holds no copy."""
    if not report.project_id:
        return []
    wages = selectors.project_wages(report.project, report.month)
    return [
        (_("Villagers employed in the month (employment records)"), wages.employed),
        (_("Wages of the month (employment records, yuan)"), f"{wages.paid:,.2f}"),
    ]


def _project_links(project: Project) -> list[tuple[str, str]]:
    return [
        (_("Income projection"), reverse("benefits:project_projection", args=[project.pk])),
        (_("Households linked"), f"{reverse('benefits:linkage')}?project={project.pk}"),
    ]


register(
    Panel("registry.Village", figures=_village_figures, links=_village_links),
    Panel("registry.Household", links=_household_links),
    Panel("projects.Project", figures=_project_figures, links=_project_links, order=20),
    Panel("supervision.MonthlyReport", figures=_report_figures, order=20),
    Panel(
        "projects.Project",
        _("Equity structures"),
        EquityStructureViews,
        lambda project: project.equity_structures.all(),
        exclude=("project",),
        order=40,
    ),
)
