from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cunqi.benefits import selectors as benefit_selectors
from cunqi.benefits import views as benefits_views
from cunqi.benefits.models import Handover
from cunqi.core.views import ObjectViews, Section
from cunqi.projects import filtersets, forms, selectors, tables
from cunqi.projects.models import Investment, Project


class ProjectViews(ObjectViews):
    model = Project
    table = tables.ProjectTable
    filterset = filtersets.ProjectFilterSet
    form = forms.ProjectForm
    select_related = ("industry",)
    prefetch_related = ("villages", "cooperation_models")
    sections = (
        Section(
            _("Investments"),
            lambda: InvestmentViews,
            lambda project: project.investments.all(),
            exclude=("project",),
        ),
        Section(
            _("Handover"),
            lambda: benefits_views.HandoverViews,
            lambda project: Handover.objects.filter(project=project),
            exclude=("project",),
        ),
        Section(
            _("Equity structures"),
            lambda: benefits_views.EquityStructureViews,
            lambda project: project.equity_structures.all(),
            exclude=("project",),
        ),
    )

    @classmethod
    def links(cls, project: Project) -> list[tuple[str, str]]:
        return [(_("Income projection"), reverse("benefits:project_projection", args=[project.pk]))]

    @classmethod
    def figures(cls, project: Project) -> list[tuple[str, object]]:
        progress = selectors.investment_progress(project)
        wages = benefit_selectors.project_wages(project, timezone.localdate().replace(day=1))
        return [
            (_("Completed investment (yuan)"), f"{progress.completed:,.2f}"),
            (
                _("Completed of planned"),
                f"{progress.completed_share}%" if progress.completed_share is not None else "—",
            ),
            (_("Villagers employed this month"), wages.employed),
            (
                _("Average monthly wage (yuan)"),
                f"{wages.average_monthly_wage:,.2f}" if wages.average_monthly_wage else "—",
            ),
        ]


class InvestmentViews(ObjectViews):
    model = Investment
    table = tables.InvestmentTable
    filterset = filtersets.InvestmentFilterSet
    form = forms.InvestmentForm
    select_related = ("project",)
