from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cunqi.core.permissions import allows
from cunqi.core.views import Action, ObjectActionView, ObjectViews, Section
from cunqi.core.workdays import years_without_holidays
from cunqi.projects import filtersets, forms, selectors, services, tables
from cunqi.projects.models import (
    Approval,
    ApprovalDocument,
    ApprovalStep,
    Handover,
    HandoverAsset,
    Investment,
    Project,
)


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
            lambda: HandoverViews,
            lambda project: Handover.objects.filter(project=project),
            exclude=("project",),
        ),
    )

    @classmethod
    def links(cls, project: Project) -> list[tuple[str, str]]:
        approval = Approval.objects.filter(project=project).first()
        return [(_("Approval case"), approval.get_absolute_url())] if approval else []

    @classmethod
    def figures(cls, project: Project) -> list[tuple[str, object]]:
        progress = selectors.investment_progress(project)
        return [
            (_("Completed investment (yuan)"), f"{progress.completed:,.2f}"),
            (
                _("Completed of planned"),
                f"{progress.completed_share}%" if progress.completed_share is not None else "—",
            ),
        ]


class InvestmentViews(ObjectViews):
    model = Investment
    table = tables.InvestmentTable
    filterset = filtersets.InvestmentFilterSet
    form = forms.InvestmentForm
    select_related = ("project",)


def _promises(request: HttpRequest, step: ApprovalStep) -> dict:
    """The accept form's promised date and responsible person for each missing document."""
    promises = {}
    for document in step.approval.documents.filter(kind__stage=step.stage):
        raw = request.POST.get(f"promised_on_{document.pk}", "").strip()
        try:
            promised_on = date.fromisoformat(raw) if raw else None
        except ValueError:
            raise ValidationError(
                _("“%(document)s”: “%(value)s” is not a date (YYYY-MM-DD).")
                % {"document": document.kind, "value": raw}
            ) from None
        promises[document.pk] = (promised_on, request.POST.get(f"responsible_{document.pk}", ""))
    return promises


def _step(approval: Approval, request: HttpRequest) -> ApprovalStep:
    try:
        return approval.steps.get(pk=int(request.POST.get("step", "")))
    except (ValueError, ApprovalStep.DoesNotExist):
        raise ValidationError(_("Choose a step of this case.")) from None


def _accept(approval: Approval, request: HttpRequest) -> str:
    step = _step(approval, request)
    services.accept_step(step, request.user, _promises(request, step))
    return _("Step accepted.")


def _approve(approval: Approval, request: HttpRequest) -> str:
    services.approve_step(_step(approval, request), request.user)
    return _("Step approved.")


class ApprovalActionView(ObjectActionView):
    actions = {"accept": Action("accept", _accept), "approve": Action("approve", _approve)}


class ApprovalViews(ObjectViews):
    model = Approval
    table = tables.ApprovalTable
    filterset = filtersets.ApprovalFilterSet
    form = forms.ApprovalForm
    select_related = ("project",)
    pages = frozenset({"add"})
    detail_template = "projects/approval_detail.html"
    action_view = ApprovalActionView

    @classmethod
    def extra_context(cls, approval: Approval, request: HttpRequest) -> dict:
        user = request.user
        today = timezone.localdate()
        documents = list(
            ApprovalDocument.objects.filter(approval=approval).select_related("kind__stage")
        )
        for document in documents:
            document.overdue = document.is_overdue(today)
        steps = list(approval.steps.select_related("stage"))
        for step in steps:
            step.documents = [d for d in documents if d.kind.stage_id == step.stage_id]
            step.missing = [d for d in step.documents if d.status != d.Status.SUPPLIED]
        # A limit counted into a year the calendar does not know ignores its holidays.
        unknown = set(
            years_without_holidays(
                year
                for step in steps
                if step.accepted_on and step.due_on
                for year in range(step.accepted_on.year, step.due_on.year + 1)
            )
        )
        for step in steps:
            step.uncounted_years = [
                year
                for year in sorted(unknown)
                if step.accepted_on and step.accepted_on.year <= year <= step.due_on.year
            ]
        may_supply = (
            allows(user, "edit", ApprovalDocument)
            and ApprovalDocument.objects.editable_by(user).filter(approval=approval).exists()
        )
        return {
            "steps": steps,
            "may_accept": allows(user, "accept", Approval),
            "may_approve": allows(user, "approve", Approval),
            "may_supply": may_supply,
            "today": today,
            "events": approval.events.select_related("actor", "stage", "document__kind"),
        }

    @classmethod
    def figures(cls, approval: Approval) -> list[tuple[str, object]]:
        documents = approval.documents.all()
        today = timezone.localdate()
        return [
            (
                _("Steps approved"),
                f"{approval.steps.filter(status=ApprovalStep.Status.APPROVED).count()}"
                f" / {approval.steps.count()}",
            ),
            (
                _("Documents promised, overdue"),
                f"{documents.filter(status=ApprovalDocument.Status.PROMISED).count()}, "
                f"{documents.filter(status=ApprovalDocument.Status.PROMISED, promised_on__lt=today).count()}",
            ),
        ]


class ApprovalDocumentViews(ObjectViews):
    model = ApprovalDocument
    table = tables.ApprovalDocumentTable
    filterset = filtersets.ApprovalDocumentFilterSet
    form = forms.DocumentUploadForm
    select_related = ("kind__stage", "approval__project")
    pages = frozenset({"edit"})
    file_field = "file"
    detail_fields = (
        "approval",
        "kind",
        "status",
        "promised_on",
        "responsible",
        "file_name",
        "supplied_at",
        "supplied_by",
    )

    @classmethod
    def links(cls, document: ApprovalDocument) -> list[tuple[str, str]]:
        if document.file:
            return [(_("Download"), reverse("projects:approvaldocument_file", args=[document.pk]))]
        return []


class HandoverAssetViews(ObjectViews):
    model = HandoverAsset
    table = tables.HandoverAssetTable
    filterset = filtersets.HandoverAssetFilterSet
    form = forms.HandoverAssetForm
    select_related = ("handover__project", "handover__receiving_village")


class HandoverViews(ObjectViews):
    model = Handover
    table = tables.HandoverTable
    filterset = filtersets.HandoverFilterSet
    form = forms.HandoverForm
    select_related = ("project", "receiving_village")
    sections = (
        Section(
            _("Assets"),
            lambda: HandoverAssetViews,
            lambda handover: handover.assets.all(),
            exclude=("handover",),
        ),
    )

    @classmethod
    def figures(cls, handover: Handover) -> list[tuple[str, object]]:
        total = handover.assets.aggregate(total=Sum("value"))["total"] or Decimal("0.00")
        return [(_("Value of the assets (yuan)"), f"{total:,.2f}")]

    @classmethod
    def links(cls, handover: Handover) -> list[tuple[str, str]]:
        return [
            (_("Add an asset"), f"{reverse('projects:handoverasset_add')}?handover={handover.pk}")
        ]
