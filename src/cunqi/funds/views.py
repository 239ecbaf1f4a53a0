from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cunqi.core.permissions import allows
from cunqi.core.views import Action, ObjectActionView, ObjectView, ObjectViews, Section
from cunqi.funds import eligibility, filtersets, forms, selectors, services, tables
from cunqi.funds.models import Allocation, Disbursement, FundBudget, FundSource, Policy
from cunqi.projects.models import Project


class DisbursementActionView(ObjectActionView):
    actions = {
        "approve": Action(
            "approve",
            lambda disbursement, request: services.approve_disbursement(disbursement, request.user),
        )
    }


class DisbursementViews(ObjectViews):
    model = Disbursement
    table = tables.DisbursementTable
    filterset = filtersets.DisbursementFilterSet
    form = forms.DisbursementForm
    select_related = (
        "allocation__budget__source",
        "allocation__project",
        "recorded_by",
        "approved_by",
    )
    action_view = DisbursementActionView
    detail_template = "funds/disbursement_detail.html"

    @classmethod
    def extra_context(cls, disbursement: Disbursement, request: HttpRequest) -> dict:
        user = request.user
        return {
            "can_approve": disbursement.status == Disbursement.Status.RECORDED
            and disbursement.recorded_by_id != user.pk
            and allows(user, "approve", Disbursement)
            and Disbursement.objects.editable_by(user).filter(pk=disbursement.pk).exists()
        }


class AllocationViews(ObjectViews):
    model = Allocation
    table = tables.AllocationTable
    filterset = filtersets.AllocationFilterSet
    form = forms.AllocationForm
    select_related = ("budget__source", "project")
    sections = (
        Section(
            _("Disbursements"),
            lambda: DisbursementViews,
            lambda allocation: allocation.disbursements.all(),
            exclude=("allocation",),
        ),
    )

    @classmethod
    def figures(cls, allocation: Allocation) -> list[tuple[str, object]]:
        return [(_("Left to disburse (yuan)"), f"{allocation.remaining:,.2f}")]

    @classmethod
    def links(cls, allocation: Allocation) -> list[tuple[str, str]]:
        return [
            (
                _("Record a disbursement"),
                f"{reverse('funds:disbursement_add')}?allocation={allocation.pk}",
            )
        ]


class FundBudgetViews(ObjectViews):
    model = FundBudget
    table = tables.FundBudgetTable
    filterset = filtersets.FundBudgetFilterSet
    form = forms.FundBudgetForm
    select_related = ("source",)
    sections = (
        Section(
            _("Allocations"),
            lambda: AllocationViews,
            lambda budget: budget.allocations.all(),
            exclude=("budget",),
        ),
    )

    @classmethod
    def figures(cls, budget: FundBudget) -> list[tuple[str, object]]:
        return [(_("Left to allocate (yuan)"), f"{budget.remaining:,.2f}")]

    @classmethod
    def links(cls, budget: FundBudget) -> list[tuple[str, str]]:
        return [(_("Allocate"), f"{reverse('funds:allocation_add')}?budget={budget.pk}")]


class FundSourceViews(ObjectViews):
    model = FundSource
    table = tables.FundSourceTable
    filterset = filtersets.FundSourceFilterSet
    form = forms.FundSourceForm
    select_related = ("department",)
    sections = (
        Section(
            _("Budgets"),
            lambda: FundBudgetViews,
            lambda source: source.budgets.all(),
            exclude=("source",),
        ),
    )


class PolicyViews(ObjectViews):
    model = Policy
    table = tables.PolicyTable
    filterset = filtersets.PolicyFilterSet
    form = forms.PolicyForm
    select_related = ("fund_source",)
    file_field = "file"

    @classmethod
    def links(cls, policy: Policy) -> list[tuple[str, str]]:
        if policy.file:
            return [(_("Download"), reverse("funds:policy_file", args=[policy.pk]))]
        return []


class ProjectPoliciesView(ObjectView):
    """The policies a project may be eligible for, each with its reasons."""

    action = "detail"
    views = type("ProjectPolicyViews", (ObjectViews,), {"model": Project})

    def get(self, request: HttpRequest, pk: int):
        project = self.get_visible(pk)
        matches = [
            (match.policy, match.verdict.eligible, [describe(r) for r in match.verdict.reasons])
            for match in selectors.policies_for(project)
        ]
        return render(
            request, "funds/project_policies.html", {"project": project, "matches": matches}
        )


def describe(reason: eligibility.Reason) -> tuple[bool, str]:
    """A reason in the reader's language: whether it is met, and why."""
    met = {
        "validity": _("In force until %(until)s."),
        "industry": _("The project's industry is one the policy supports."),
        "model": _("The project's cooperation model is one the policy supports."),
        "zone": _("The project lies in a zone the policy covers."),
        "investment": _(
            "Planned investment %(planned)s yuan reaches the minimum of %(minimum)s yuan."
        ),
        "demonstration": _("The project is a demonstration project."),
    }
    unmet = {
        "validity": _("The policy expired on %(until)s."),
        "industry": _("The policy does not support the project's industry."),
        "model": _("The policy does not support the project's cooperation model."),
        "zone": _("The project lies outside the zones the policy covers."),
        "investment": _(
            "Planned investment %(planned)s yuan is below the minimum of %(minimum)s yuan."
        ),
        "demonstration": _("The policy is for demonstration projects only."),
    }
    figures = {
        key: f"{value:,.2f}" if isinstance(value, Decimal) else value
        for key, value in reason.figures.items()
    }
    return reason.met, str((met if reason.met else unmet)[reason.code]) % figures
