from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cunqi.core.permissions import allows
from cunqi.core.views import Action, ObjectActionView, ObjectViews, Section, may_write
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
    ProjectApplication,
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
        links = []
        if application := ProjectApplication.objects.filter(project=project).first():
            links.append(
                (
                    _("Library entry %(code)s") % {"code": application.library_code},
                    application.get_absolute_url(),
                )
            )
        if approval := Approval.objects.filter(project=project).first():
            links.append((_("Approval case"), approval.get_absolute_url()))
        return links

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


def _verdict(request: HttpRequest) -> bool:
    """Whether a review's form passed the application (``pass``) or returned it (``return``)."""
    verdict = request.POST.get("verdict", "")
    if verdict not in ("pass", "return"):
        raise ValidationError(_("Choose to pass the application or to return it."))
    return verdict == "pass"


def _year(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("year", ""))
    except ValueError:
        raise ValidationError({"plan_year": _("Give the plan year as a number.")}) from None


def _submit(application: ProjectApplication, request: HttpRequest) -> str:
    services.submit_application(application, request.user)
    return _("Submitted to the town.")


def _town_review(application: ProjectApplication, request: HttpRequest) -> str:
    approve = _verdict(request)
    services.town_review(
        application, request.user, approve=approve, opinion=request.POST.get("opinion", "")
    )
    return _("Passed on to the county's joint review.") if approve else _("Returned for revision.")


def _county_review(application: ProjectApplication, request: HttpRequest) -> str:
    approve = _verdict(request)
    entry = services.county_review(
        application, request.user, approve=approve, opinion=request.POST.get("opinion", "")
    )
    if approve:
        return _("Entered in the library as %(code)s.") % {"code": entry.library_code}
    return _("Returned for revision.")


def _plan(application: ProjectApplication, request: HttpRequest) -> str:
    entry = services.plan_application(application, request.user, _year(request))
    return _("Placed in the plan of %(year)s.") % {"year": entry.plan_year}


def _leave(application: ProjectApplication, request: HttpRequest) -> str:
    services.leave_library(application, request.user, request.POST.get("reason", ""))
    return _("The entry has left the library.")


def _start(application: ProjectApplication, request: HttpRequest) -> str:
    project = services.start_project(application, request.user, request.POST.get("code", ""))
    return _("Project %(code)s started.") % {"code": project.code}


class ProjectApplicationActionView(ObjectActionView):
    actions = {
        "submit": Action("submit", _submit),
        "town_review": Action("town_review", _town_review),
        "county_review": Action("county_review", _county_review),
        "plan": Action("plan", _plan),
        "leave": Action("leave", _leave),
        "start_project": Action("start_project", _start),
    }


class ProjectApplicationViews(ObjectViews):
    model = ProjectApplication
    table = tables.ProjectApplicationTable
    filterset = filtersets.ProjectApplicationFilterSet
    form = forms.ProjectApplicationForm
    select_related = ("pairing__village", "pairing__enterprise", "industry", "project")
    prefetch_related = ("cooperation_models",)
    detail_template = "projects/projectapplication_detail.html"
    action_view = ProjectApplicationActionView
    file_field = "file"
    # The meeting record is the download button, not its storage path.
    detail_fields = tuple(
        field.name
        for field in ProjectApplication._meta.get_fields()
        if field.concrete and field.name not in ("id", "file")
    )

    @classmethod
    def links(cls, application: ProjectApplication) -> list[tuple[str, str]]:
        links = []
        if application.project:
            links.append((str(application.project), application.project.get_absolute_url()))
        if application.file:
            url = reverse("projects:projectapplication_file", args=[application.pk])
            links.append((_("Meeting record"), url))
        return links

    @classmethod
    def extra_context(cls, application: ProjectApplication, request: HttpRequest) -> dict:
        user, status = request.user, application.status
        Status = ProjectApplication.Status

        def may(action: str, *statuses: str) -> bool:
            return status in statuses and allows(user, action, ProjectApplication)

        return {
            "may_submit": may("submit", *ProjectApplication.WRITING)
            and may_write(user, application),
            "may_town_review": may("town_review", Status.SUBMITTED),
            "may_county_review": may("county_review", Status.TOWN_APPROVED),
            "may_plan": may("plan", Status.IN_LIBRARY),
            "may_leave": may("leave", Status.IN_LIBRARY, Status.PLANNED),
            "may_start": may("start_project", Status.PLANNED),
            "this_year": timezone.localdate().year,
            "events": application.events.select_related("actor"),
        }
