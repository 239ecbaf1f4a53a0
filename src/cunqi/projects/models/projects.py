from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cunqi.core import uploads
from cunqi.core.fields import MoneyField, non_negative
from cunqi.core.models import ReferenceItem, ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths
from cunqi.core.text import month_name
from cunqi.core.validators import validate_first_of_month
from cunqi.projects import lifecycle


class Project(ScopedModel):
    """What a pairing builds; an enclave project (飞地抱团) joins several villages."""

    scope_paths = ScopePaths(town="villages__town", village="villages", enterprise="enterprises")
    autocomplete_fields = ("code", "name")
    edit_policy = EditPolicy(create=frozenset({Role.TOWN}), edit=frozenset({Role.TOWN}))

    class Status(models.TextChoices):
        PLANNED = lifecycle.PLANNED, _("planned")
        APPROVING = lifecycle.APPROVING, _("approving")
        BUILDING = lifecycle.BUILDING, _("building")
        OPERATING = lifecycle.OPERATING, _("operating")
        HANDED_OVER = lifecycle.HANDED_OVER, _("handed over")
        STOPPED = lifecycle.STOPPED, _("stopped")

    code = models.CharField(_("project code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    villages = models.ManyToManyField(
        "registry.Village", verbose_name=_("villages"), related_name="projects"
    )
    enterprises = models.ManyToManyField(
        "registry.Enterprise", verbose_name=_("enterprises"), related_name="projects"
    )
    cooperation_models = models.ManyToManyField(
        "core.CooperationModel", verbose_name=_("cooperation models"), related_name="projects"
    )
    industry = models.ForeignKey(
        "core.Industry",
        verbose_name=_("industry"),
        related_name="projects",
        on_delete=models.PROTECT,
    )
    is_demonstration = models.BooleanField(_("demonstration project (示范项目)"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    planned_investment = MoneyField(_("planned investment (yuan)"), validators=[non_negative])
    start_date = models.DateField(_("start"), null=True, blank=True)
    income_years = models.PositiveSmallIntegerField(
        _("income period (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("After the income period the assets pass free to the village collective."),
    )
    handover_date = models.DateField(_("handover date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_investment__gte=0), name="project_planned_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(handover_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(handover_date__gte=models.F("start_date")),
                name="project_handover_after_start",
                violation_error_message=_("The handover cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start_date and self.handover_date and self.handover_date < self.start_date:
            raise ValidationError({"handover_date": _("The handover cannot be before the start.")})
        if self.pk:
            stored = Project.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored and not lifecycle.can_move(stored, self.status):
                raise ValidationError(
                    {
                        "status": _("A project cannot move from “%(current)s” to “%(target)s”.")
                        % {
                            "current": Project.Status(stored).label,
                            "target": Project.Status(self.status).label,
                        }
                    }
                )

    @property
    def is_landed(self) -> bool:
        return self.status in lifecycle.LANDED


class Investment(ScopedModel):
    """Planned and completed investment of a project in one month from one kind of source."""

    autocomplete_fields = ("project__name",)

    scope_paths = ScopePaths(
        town="project__villages__town",
        village="project__villages",
        enterprise="project__enterprises",
    )
    edit_policy = EditPolicy.writers(Role.TOWN)

    class Source(models.TextChoices):
        HIGHER_LEVEL = "higher_level", _("higher-level funds")
        DEPARTMENT = "department", _("department funds")
        ENTERPRISE = "enterprise", _("enterprise")
        VILLAGE = "village", _("village collective")
        OTHER = "other", _("other")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), related_name="investments", on_delete=models.CASCADE
    )
    month = models.DateField(_("month"), validators=[validate_first_of_month])
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    planned_amount = MoneyField(_("planned (yuan)"), default=0, validators=[non_negative])
    completed_amount = MoneyField(_("completed (yuan)"), default=0, validators=[non_negative])
    reported = models.BooleanField(
        _("from an accepted report"),
        default=False,
        editable=False,
        help_text=_("The completed amount is the month's accepted monthly report's figure."),
    )

    class Meta:
        verbose_name = _("investment")
        verbose_name_plural = _("investments")
        ordering = ["project__code", "month", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month", "source"], name="investment_one_per_month_source"
            ),
            models.CheckConstraint(
                condition=Q(planned_amount__gte=0), name="investment_planned_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(completed_amount__gte=0), name="investment_completed_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["month"], name="investment_month_idx")]

    def __str__(self) -> str:
        return f"{self.project} {month_name(self.month)}"


class MonthlyInvestment(models.Model):
    """The programme's investment per month: a rollup of ``Investment`` kept by database
    triggers, so it is exact whatever writes the rows (forms, imports, bulk or raw SQL).

    The whole-programme cockpit reads it instead of summing millions of rows; scoped
    views sum their own (few) investment rows directly.
    """

    month = models.DateField(_("month"), unique=True)
    planned_total = MoneyField(_("planned (yuan)"), default=0)
    completed_total = MoneyField(_("completed (yuan)"), default=0)
    row_count = models.BigIntegerField(_("rows"), default=0)

    class Meta:
        verbose_name = _("monthly investment total")
        verbose_name_plural = _("monthly investment totals")
        ordering = ["month"]

    def __str__(self) -> str:
        return month_name(self.month)


class ApprovalStage(ReferenceItem):
    """A step every approval case goes through (立项, 用地, 环评, 施工许可…), in order, with
    its time limits; a deployment adds or reorders its own."""

    extra_fields = ("time_limit_days", "green_channel_days")

    time_limit_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"), validators=[MinValueValidator(1)]
    )
    green_channel_days = models.PositiveSmallIntegerField(
        _("green-channel time limit (working days)"), validators=[MinValueValidator(1)]
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("approval stage")
        verbose_name_plural = _("approval stages")
        constraints = [
            models.CheckConstraint(
                condition=Q(green_channel_days__lte=models.F("time_limit_days")),
                name="approvalstage_green_channel_not_slower",
                violation_error_message=_(
                    "The green channel's time limit cannot be longer than the normal one."
                ),
            )
        ]


class DocumentKind(ReferenceItem):
    """A document on a stage's checklist."""

    extra_fields = ("stage",)

    stage = models.ForeignKey(
        ApprovalStage,
        verbose_name=_("approval stage"),
        related_name="document_kinds",
        on_delete=models.PROTECT,
    )

    class Meta(ReferenceItem.Meta):
        verbose_name = _("approval document kind")
        verbose_name_plural = _("approval document kinds")


class Approval(ScopedModel):
    """A project's approval case (审批): its steps, their documents and its timeline."""

    autocomplete_fields = ("project__name", "project__code")

    scope_paths = ScopePaths(
        town="project__villages__town",
        village="project__villages",
        enterprise="project__enterprises",
    )
    # Towns open cases and move steps; a village or enterprise supplies documents.
    edit_policy = EditPolicy(
        create=frozenset({Role.TOWN}),
        actions={"accept": frozenset({Role.TOWN}), "approve": frozenset({Role.TOWN})},
    )

    project = models.OneToOneField(
        Project, verbose_name=_("project"), related_name="approval", on_delete=models.CASCADE
    )
    green_channel = models.BooleanField(
        _("green channel (绿色通道)"),
        default=False,
        help_text=_(
            "Shorter time limits, and steps may be accepted with documents missing (容缺受理)."
        ),
    )
    applied_on = models.DateField(_("applied on"))
    completed_on = models.DateField(_("approved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval case")
        verbose_name_plural = _("approval cases")
        ordering = ["-applied_on", "project__code"]

    def __str__(self) -> str:
        return str(self.project)


class ApprovalStep(models.Model):
    """One stage of a case: accepted (受理), then approved (办结) within its time limit."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        ACCEPTED = "accepted", pgettext_lazy("an approval step", "accepted")
        ACCEPTED_MISSING = "accepted_missing", _("accepted with documents missing (容缺受理)")
        APPROVED = "approved", _("approved")

    approval = models.ForeignKey(
        Approval, verbose_name=_("approval case"), related_name="steps", on_delete=models.CASCADE
    )
    stage = models.ForeignKey(
        ApprovalStage, verbose_name=_("approval stage"), on_delete=models.PROTECT
    )
    order = models.PositiveSmallIntegerField(_("order"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["approval", "order"]
        constraints = [
            models.UniqueConstraint(fields=["approval", "stage"], name="approvalstep_one_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.approval} · {self.stage}"


class ApprovalDocument(ScopedModel):
    """A document on a case's checklist: supplied (uploaded), or missing with a promise
    to supply it by a date (容缺受理), or still required."""

    scope_paths = ScopePaths(
        town="approval__project__villages__town",
        village="approval__project__villages",
        enterprise="approval__project__enterprises",
    )
    autocomplete_fields = ("kind__name_zh",)
    # Whoever works on the project supplies documents (through the service).
    edit_policy = EditPolicy(edit=frozenset({Role.TOWN, Role.VILLAGE, Role.ENTERPRISE}))

    class Status(models.TextChoices):
        REQUIRED = "required", _("required")
        PROMISED = "promised", _("missing, promised (容缺)")
        SUPPLIED = "supplied", _("supplied")

    approval = models.ForeignKey(
        Approval,
        verbose_name=_("approval case"),
        related_name="documents",
        on_delete=models.CASCADE,
    )
    kind = models.ForeignKey(DocumentKind, verbose_name=_("document"), on_delete=models.PROTECT)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUIRED
    )
    promised_on = models.DateField(_("promised by"), null=True, blank=True)
    responsible = models.CharField(_("responsible person"), max_length=50, blank=True)
    file = models.FileField(_("file"), upload_to=uploads.upload_to, blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=100, blank=True)
    supplied_at = models.DateTimeField(_("supplied at"), null=True, blank=True)
    supplied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supplied by"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("approval document")
        verbose_name_plural = _("approval documents")
        ordering = ["approval", "kind__stage__sort_order", "kind__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["approval", "kind"], name="approvaldocument_one_per_kind"
            ),
            models.CheckConstraint(
                condition=~Q(status="promised")
                | (Q(promised_on__isnull=False) & ~Q(responsible="")),
                name="approvaldocument_promise_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="supplied") | ~Q(file=""),
                name="approvaldocument_supplied_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.approval} · {self.kind}"

    def is_overdue(self, today: date) -> bool:
        return self.status == self.Status.PROMISED and self.promised_on < today


class ApprovalEvent(models.Model):
    """The case's timeline: every step taken, by whom and when."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("case opened")
        ACCEPTED = "accepted", _("step accepted")
        ACCEPTED_MISSING = "accepted_missing", _("step accepted with documents missing")
        APPROVED = "approved", _("step approved")
        PROMISED = "promised", _("document promised")
        SUPPLIED = "supplied", _("document supplied")
        COMPLETED = "completed", _("case approved")

    approval = models.ForeignKey(
        Approval, verbose_name=_("approval case"), related_name="events", on_delete=models.CASCADE
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    stage = models.ForeignKey(
        ApprovalStage, verbose_name=_("approval stage"), null=True, on_delete=models.PROTECT
    )
    document = models.ForeignKey(
        ApprovalDocument, verbose_name=_("document"), null=True, on_delete=models.CASCADE
    )
    # Dates and people's names only, so that the timeline reads in either language.
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("approval event")
        verbose_name_plural = _("approval events")
        ordering = ["approval", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.approval} {self.get_kind_display()}"


class Handover(ScopedModel):
    """The free handover of a project's assets to a village collective after its income
    period (移交)."""

    autocomplete_fields = ("project__name", "receiving_village__name")

    scope_paths = ScopePaths(
        town="project__villages__town",
        village="project__villages",
        enterprise="project__enterprises",
    )
    edit_policy = EditPolicy.writers(Role.TOWN)

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("handed over")

    project = models.OneToOneField(
        Project,
        verbose_name=_("project"),
        related_name="handover",
        on_delete=models.PROTECT,
    )
    receiving_village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("receiving village collective"),
        related_name="handovers_received",
        on_delete=models.PROTECT,
    )
    due_date = models.DateField(_("due"))
    done_on = models.DateField(_("handed over on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("handover (移交)")
        verbose_name_plural = _("handovers")
        ordering = ["due_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", done_on__isnull=True)
                | Q(status="done", done_on__isnull=False),
                name="handover_done_has_a_date",
                violation_error_message=_(
                    "A handover that is done has the date it was done, and only then."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} → {self.receiving_village}"

    def clean(self) -> None:
        if (
            self.project_id
            and self.receiving_village_id
            and not self.project.villages.filter(pk=self.receiving_village_id).exists()
        ):
            raise ValidationError(
                {"receiving_village": _("This village is not one of the project's villages.")}
            )
        if self.status == self.Status.DONE and not self.done_on:
            raise ValidationError({"done_on": _("Give the date the assets were handed over.")})
        if self.status == self.Status.PENDING and self.done_on:
            raise ValidationError({"status": _("Mark the handover done, or leave its date empty.")})


class HandoverAsset(ScopedModel):
    """One asset on a handover's list, with its value."""

    scope_paths = ScopePaths(
        town="handover__project__villages__town",
        village="handover__project__villages",
        enterprise="handover__project__enterprises",
    )
    edit_policy = EditPolicy.writers(Role.TOWN)

    handover = models.ForeignKey(
        Handover, verbose_name=_("handover"), related_name="assets", on_delete=models.CASCADE
    )
    name = models.CharField(_("asset"), max_length=100)
    quantity = models.CharField(_("quantity"), max_length=50, blank=True)
    value = MoneyField(_("value (yuan)"), validators=[MinValueValidator(Decimal("0"))])

    class Meta:
        verbose_name = _("handover asset")
        verbose_name_plural = _("handover assets")
        ordering = ["handover", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0), name="handover_asset_value_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name
