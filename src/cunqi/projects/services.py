"""Projects' doors; approval cases: opening, accepting (容缺受理 included), approving and
supplying documents; and the project library: applying, the town's and the county's
reviews, the year plan, leaving the library and starting the project. Every step of a
case or an application writes its timeline in the same transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.core import history
from cunqi.core.doors import Door, authorize, door, register
from cunqi.core.fields import ZERO
from cunqi.core.text import month_name
from cunqi.core.workdays import exceptions_after
from cunqi.projects.deadlines import add_working_days
from cunqi.projects.investment import split_by_plan
from cunqi.projects.models import (
    ApplicationEvent,
    Approval,
    ApprovalDocument,
    ApprovalEvent,
    ApprovalStage,
    ApprovalStep,
    DocumentKind,
    Investment,
    Project,
    ProjectApplication,
)

if TYPE_CHECKING:
    from cunqi.accounts.models import User


@register
class ProjectDoor(Door):
    """Only the task force designates demonstration projects."""

    model = Project
    restricted_fields = {"is_demonstration": frozenset()}


@register
class InvestmentDoor(Door):
    """Once a month's report is accepted, its figure is the month's completed investment:
    the plan stays open to change, the completed amounts only through another report."""

    model = Investment
    managed_fields = frozenset({"reported"})

    def check(
        self, row: Investment, related: dict, user: User, *, previous: Investment | None
    ) -> None:
        before = previous.completed_amount if previous else ZERO
        if row.completed_amount != before and _reported_month(row.project_id, row.month):
            raise ValidationError({"completed_amount": _from_report(row.month)})

    def remove(self, row: Investment, user: User) -> None:
        if row.reported and row.completed_amount:
            raise ValidationError(_from_report(row.month), code="frozen")
        row.delete()


def _reported_month(project_id: int | None, month: date | None) -> bool:
    return Investment.objects.filter(project=project_id, month=month, reported=True).exists()


def _from_report(month: date) -> str:
    return _(
        "The completed investment of %(month)s is the figure of that month's accepted report."
    ) % {"month": month_name(month)}


@transaction.atomic
def record_reported_investment(
    project: Project, month: date, amount: Decimal, user: User
) -> list[Investment]:
    """Make ``amount`` the completed investment of ``project`` in ``month`` (an accepted
    report's figure), over the sources as the month's plan has them (the project's whole
    plan if the month has none), replacing what the month held."""
    rows = {
        row.source: row
        for row in Investment.objects.select_for_update().filter(project=project, month=month)
    }
    planned = {source: row.planned_amount for source, row in rows.items()}
    if not any(planned.values()):
        planned = dict(
            Investment.objects.filter(project=project)
            .values("source")
            .annotate(total=Sum("planned_amount"))
            .values_list("source", "total")
        )
    shares = split_by_plan(amount, planned, unplanned=Investment.Source.OTHER)
    written = []
    for source in sorted(rows.keys() | shares.keys()):
        row = rows.get(source) or Investment(project=project, month=month, source=source)
        authorize(user, "edit" if row.pk else "create", row, model=Investment)
        row.completed_amount, row.reported = shares.get(source, ZERO), True
        row.full_clean(validate_unique=False)
        history.save_with_links(row, {}, user)
        written.append(row)
    door(Investment).ensure_in_scope(user, written)
    return written


@register
class ApprovalDoor(Door):
    """A case opens with a step for every stage in use and the checklist of each, all
    required; it is then moved by its steps, never edited."""

    model = Approval
    managed_fields = frozenset({"completed_on"})

    def check(self, row: Approval, related: dict, user: User, *, previous: Approval | None) -> None:
        if previous is None and Approval.objects.filter(project=row.project_id).exists():
            raise ValidationError({"project": _("This project already has an approval case.")})
        if row.applied_on and row.applied_on > timezone.localdate():
            raise ValidationError(
                {"applied_on": _("The application date cannot be in the future.")}
            )
        if not ApprovalStage.objects.filter(is_active=True).exists():
            raise ValidationError(_("No approval stage is in use: the task force sets them up."))

    def write(
        self, row: Approval, related: dict, user: User, *, previous: Approval | None
    ) -> Approval:
        row.save()
        if previous is not None:
            return row
        stages = list(ApprovalStage.objects.filter(is_active=True))
        ApprovalStep.objects.bulk_create(
            ApprovalStep(approval=row, stage=stage, order=order)
            for order, stage in enumerate(stages, start=1)
        )
        with history.recorded():
            documents = ApprovalDocument.objects.bulk_create(
                ApprovalDocument(approval=row, kind=kind)
                for kind in DocumentKind.objects.filter(is_active=True, stage__in=stages)
            )
        history.record_creates(documents, ("approval", "kind", "status"), user)
        _log(row, user, ApprovalEvent.Kind.OPENED)
        return row


def open_approval(
    project: Project, *, green_channel: bool, applied_on: date, user: User
) -> Approval:
    return door(Approval).create(
        user, {"project": project, "green_channel": green_channel, "applied_on": applied_on}
    )


@transaction.atomic
def accept_step(
    step: ApprovalStep,
    user: User,
    promises: dict[int, tuple[date | None, str]],
    today: date | None = None,
) -> ApprovalStep:
    """Accept (受理) a step. Each of its documents not yet supplied must be promised — a
    date and a responsible person — which only the green channel allows (容缺受理).

    ``promises`` maps a document's id to (promised date, responsible person).
    """
    authorize(user, "accept", step.approval)
    today = today or timezone.localdate()
    step = (
        ApprovalStep.objects.select_for_update().select_related("approval", "stage").get(pk=step.pk)
    )
    approval = step.approval
    if step.status != ApprovalStep.Status.WAITING:
        raise ValidationError(_("This step has already been accepted."))
    if not approval.green_channel:
        earlier = approval.steps.filter(order__lt=step.order).exclude(
            status=ApprovalStep.Status.APPROVED
        )
        if earlier.exists():
            raise ValidationError(
                _(
                    "Outside the green channel, steps are taken in order: approve the earlier ones first."
                )
            )
    missing = list(
        ApprovalDocument.objects.select_for_update()
        .filter(approval=approval, kind__stage=step.stage)
        .exclude(status=ApprovalDocument.Status.SUPPLIED)
        .select_related("kind")
    )
    if missing and not approval.green_channel:
        raise ValidationError(
            _(
                "Missing documents: %(documents)s. Only a green-channel case may be accepted before they are supplied."
            )
            % {"documents": "、".join(str(d.kind) for d in missing)}
        )
    for document in missing:
        promised_on, responsible = promises.get(document.pk, (None, ""))
        if promised_on is None or not responsible.strip():
            raise ValidationError(
                _(
                    "“%(document)s” is missing: give the date it is promised by and who is responsible."
                )
                % {"document": document.kind}
            )
        if promised_on < today:
            raise ValidationError(
                _("“%(document)s”: the promised date %(date)s is in the past.")
                % {"document": document.kind, "date": promised_on.isoformat()}
            )
        document.status = ApprovalDocument.Status.PROMISED
        document.promised_on, document.responsible = promised_on, responsible.strip()
        document.save(update_fields=["status", "promised_on", "responsible", "updated_at"])
        _log(
            approval,
            user,
            ApprovalEvent.Kind.PROMISED,
            document=document,
            detail=f"{promised_on.isoformat()} · {document.responsible}",
        )
    limit = step.stage.green_channel_days if approval.green_channel else step.stage.time_limit_days
    step.status = ApprovalStep.Status.ACCEPTED_MISSING if missing else ApprovalStep.Status.ACCEPTED
    step.accepted_on = today
    step.due_on = add_working_days(today, limit, exceptions_after(today, limit))
    step.save()
    _log(
        approval,
        user,
        ApprovalEvent.Kind.ACCEPTED_MISSING if missing else ApprovalEvent.Kind.ACCEPTED,
        stage=step.stage,
    )
    return step


@transaction.atomic
def approve_step(step: ApprovalStep, user: User, today: date | None = None) -> ApprovalStep:
    """Approve (办结) an accepted step; the case is approved with its last step. Documents
    promised under 容缺受理 stay due: approval does not forgive them."""
    authorize(user, "approve", step.approval)
    today = today or timezone.localdate()
    step = (
        ApprovalStep.objects.select_for_update().select_related("approval", "stage").get(pk=step.pk)
    )
    if step.status not in (ApprovalStep.Status.ACCEPTED, ApprovalStep.Status.ACCEPTED_MISSING):
        raise ValidationError(_("Only an accepted step can be approved."))
    step.status, step.approved_on = ApprovalStep.Status.APPROVED, today
    step.save()
    approval = step.approval
    _log(approval, user, ApprovalEvent.Kind.APPROVED, stage=step.stage)
    if not approval.steps.exclude(status=ApprovalStep.Status.APPROVED).exists():
        approval.completed_on = today
        approval.save(update_fields=["completed_on", "updated_at"])
        _log(approval, user, ApprovalEvent.Kind.COMPLETED)
    return step


@register
class ApprovalDocumentDoor(Door):
    """A document is supplied by uploading its file, which closes it (a promise with it);
    its status, promise and who supplied it are the platform's to set."""

    model = ApprovalDocument
    managed_fields = frozenset(
        {"approval", "kind", "status", "promised_on", "responsible", "supplied_at", "supplied_by"}
    )

    def frozen(self, row: ApprovalDocument) -> str | None:
        if row.status == ApprovalDocument.Status.SUPPLIED:
            return _("This document has already been supplied.")
        return None

    def prepare(
        self, row: ApprovalDocument, user: User, *, previous: ApprovalDocument | None
    ) -> None:
        if row.file:
            row.status = ApprovalDocument.Status.SUPPLIED
            row.supplied_at, row.supplied_by = timezone.now(), user

    def check(
        self, row: ApprovalDocument, related: dict, user: User, *, previous: ApprovalDocument | None
    ) -> None:
        if not row.file:
            raise ValidationError({"file": _("Upload the document's file.")})

    def write(
        self, row: ApprovalDocument, related: dict, user: User, *, previous: ApprovalDocument | None
    ) -> ApprovalDocument:
        row.save()
        _log(
            row.approval,
            user,
            ApprovalEvent.Kind.SUPPLIED,
            document=row,
            detail=row.file_name,
        )
        return row


def supply_document(document: ApprovalDocument, upload: File, user: User) -> ApprovalDocument:
    """Keep the uploaded file and close the document, through its door."""
    return door(ApprovalDocument).update(user, document, {"file": upload})


def _log(approval: Approval, user: User, kind: str, **fields: object) -> None:
    ApprovalEvent.objects.create(approval=approval, actor=user, kind=kind, **fields)


# The project library (项目库).

Step = ApplicationEvent.Kind
Status = ProjectApplication.Status
MIN_OPINION = 2


@register
class ProjectApplicationDoor(Door):
    """An application is written by its village or enterprise while it is a draft or
    returned, for an open pairing; after that only its steps move it."""

    model = ProjectApplication
    managed_fields = frozenset(
        {"status", "library_code", "entered_on", "plan_year", "project", "left_reason"}
    )

    def frozen(self, row: ProjectApplication) -> str | None:
        if row.status not in ProjectApplication.WRITING:
            return _("An application under review or in the library can no longer be changed.")
        return None

    def check(
        self,
        row: ProjectApplication,
        related: dict,
        user: User,
        *,
        previous: ProjectApplication | None,
    ) -> None:
        if row.pairing_id and row.pairing.status not in row.pairing.OPEN_STATUSES:
            raise ValidationError({"pairing": _("This pairing has ended: it applies no more.")})


def _locked(application: ProjectApplication, *allowed: str, refusal: str) -> ProjectApplication:
    locked = ProjectApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status not in allowed:
        raise ValidationError(refusal)
    return locked


def _opinion(opinion: str, message: str) -> str:
    if len(opinion.strip()) < MIN_OPINION:
        raise ValidationError({"opinion": message})
    return opinion.strip()


def _step(application: ProjectApplication, user: User, kind: str, opinion: str = "") -> None:
    application.save()
    ApplicationEvent.objects.create(application=application, actor=user, kind=kind, opinion=opinion)


@transaction.atomic
def submit_application(application: ProjectApplication, user: User) -> ProjectApplication:
    """Send an application to the town: the meeting that decided it must be on record
    (its minutes attached) and the application posted on the village board."""
    authorize(user, "submit", application)
    locked = _locked(
        application,
        *ProjectApplication.WRITING,
        refusal=_("Only a draft or returned application can be submitted."),
    )
    missing = {}
    if not locked.file:
        missing["file"] = _("Attach the record of the meeting that decided the application.")
    if not locked.board_posted_on:
        missing["board_posted_on"] = _(
            "Post the application on the village board first, and give the date."
        )
    if missing:
        raise ValidationError(missing)
    locked.status = Status.SUBMITTED
    _step(locked, user, Step.SUBMITTED)
    return locked


@transaction.atomic
def town_review(
    application: ProjectApplication, user: User, *, approve: bool, opinion: str
) -> ProjectApplication:
    """The town's review (真实性、必要性、投资概算、资金来源、联农带农机制、绩效目标): passed on
    to the county, or returned for revision, with the town's opinion either way."""
    authorize(user, "town_review", application)
    locked = _locked(
        application, Status.SUBMITTED, refusal=_("Only a submitted application awaits the town.")
    )
    opinion = _opinion(opinion, _("Give the town's opinion."))
    locked.status = Status.TOWN_APPROVED if approve else Status.RETURNED
    _step(locked, user, Step.TOWN_APPROVED if approve else Step.TOWN_RETURNED, opinion)
    return locked


@transaction.atomic
def county_review(
    application: ProjectApplication, user: User, *, approve: bool, opinion: str
) -> ProjectApplication:
    """The county's joint review: the application enters the library with its code, or
    goes back to its village or enterprise for revision."""
    authorize(user, "county_review", application)
    locked = _locked(
        application,
        Status.TOWN_APPROVED,
        refusal=_("Only an application the town passed awaits the county's joint review."),
    )
    opinion = _opinion(opinion, _("Give the joint review's opinion."))
    if approve:
        locked.status, locked.entered_on = Status.IN_LIBRARY, timezone.localdate()
        locked.library_code = f"XMK-{locked.entered_on.year}-{locked.pk:05d}"
    else:
        locked.status = Status.RETURNED
    _step(locked, user, Step.COUNTY_APPROVED if approve else Step.COUNTY_RETURNED, opinion)
    return locked


@transaction.atomic
def plan_application(application: ProjectApplication, user: User, year: int) -> ProjectApplication:
    """Place an entry of the library in a year's plan (年度实施计划)."""
    authorize(user, "plan", application)
    locked = _locked(
        application, Status.IN_LIBRARY, refusal=_("Only an entry of the library can be planned.")
    )
    if not locked.year <= year <= locked.year + 10:
        raise ValidationError(
            {
                "plan_year": _("Plan it for %(first)s or one of the ten years after.")
                % {"first": locked.year}
            }
        )
    locked.status, locked.plan_year = Status.PLANNED, year
    _step(locked, user, Step.PLANNED, str(year))
    return locked


@transaction.atomic
def roll_over(user: User, year: int) -> list[ProjectApplication]:
    """Year end: every entry of ``year``'s plan that has not started moves to the next
    year's plan (未实施项目结转)."""
    authorize(user, "plan", model=ProjectApplication)
    waiting = list(
        ProjectApplication.objects.select_for_update().filter(status=Status.PLANNED, plan_year=year)
    )
    for entry in waiting:
        entry.plan_year = year + 1
        _step(entry, user, Step.ROLLED_OVER, f"{year} → {year + 1}")
    return waiting


@transaction.atomic
def leave_library(application: ProjectApplication, user: User, reason: str) -> ProjectApplication:
    """An entry leaves the library (出库) with its reason; a started project stays."""
    authorize(user, "leave", application)
    locked = _locked(
        application,
        Status.IN_LIBRARY,
        Status.PLANNED,
        refusal=_("Only an entry that has not started can leave the library."),
    )
    locked.left_reason = _opinion(reason, _("Say why the entry leaves the library."))[:300]
    locked.status = Status.LEFT
    _step(locked, user, Step.LEFT, locked.left_reason)
    return locked


@transaction.atomic
def start_project(application: ProjectApplication, user: User, code: str) -> Project:
    """Make the project of an entry in a year's plan, through the projects' door: its
    pairing's village and enterprise, industry, models, and the estimate as its plan."""
    authorize(user, "start_project", application)
    locked = _locked(
        application,
        Status.PLANNED,
        refusal=_("Only an entry in a year's plan can become a project."),
    )
    pairing = locked.pairing
    try:
        project = door(Project).create(
            user,
            {
                "code": code.strip(),
                "name": locked.name,
                "villages": [pairing.village],
                "enterprises": [pairing.enterprise],
                "cooperation_models": list(locked.cooperation_models.all()),
                "industry": locked.industry,
                "status": Project.Status.PLANNED,
                "planned_investment": locked.investment_estimate,
                "description": locked.content,
            },
        )
    except ValidationError as error:
        # The project's own field the user gave is its code; the rest came from the entry.
        if hasattr(error, "error_dict") and "code" in error.error_dict:
            raise ValidationError({"code": error.error_dict["code"]}) from None
        raise
    locked.status, locked.project = Status.STARTED, project
    _step(locked, user, Step.STARTED, project.code)
    return project
