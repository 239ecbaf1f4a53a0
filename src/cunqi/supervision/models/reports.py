"""Monthly reports (月报) and the files attached to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cunqi.core import uploads
from cunqi.core.fields import MoneyField, non_negative
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths
from cunqi.core.text import month_name
from cunqi.core.validators import validate_first_of_month

PROJECT_SCOPE = ScopePaths(
    town="project__villages__town", village="project__villages", enterprise="project__enterprises"
)


class MonthlyReport(ScopedModel):
    """A project's or a pairing's monthly report (月报): written and submitted by its
    village or enterprise, reviewed by the town or the task force, who accept it or return
    it with comments. Card rules and the bulletin count project reports; a pairing's report
    covers the work beside its projects (visits, training, purchases).

    One source per figure: an accepted report's investment becomes the month's completed
    investment rows; villagers employed and wages are the employment rows' (the report shows
    them, it does not hold a second copy)."""

    scope_paths = ScopePaths(
        town=("project__villages__town", "pairing__village__town"),
        village=("project__villages", "pairing__village"),
        enterprise=("project__enterprises", "pairing__enterprise"),
    )
    edit_policy = EditPolicy(
        create=frozenset({Role.VILLAGE, Role.ENTERPRISE}),
        edit=frozenset({Role.VILLAGE, Role.ENTERPRISE}),
        delete=frozenset({Role.VILLAGE, Role.ENTERPRISE}),
        actions={
            "submit": frozenset({Role.VILLAGE, Role.ENTERPRISE}),
            "review": frozenset({Role.TOWN}),
        },
    )
    autocomplete_fields = ("project__name",)

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        ACCEPTED = "accepted", pgettext_lazy("a monthly report", "accepted")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="monthly_reports",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    pairing = models.ForeignKey(
        "pairing.Pairing",
        verbose_name=_("pairing"),
        related_name="monthly_reports",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For a pairing's own report; leave the project empty."),
    )
    month = models.DateField(_("month"), validators=[validate_first_of_month])
    investment_completed = MoneyField(
        _("investment completed this month (yuan)"),
        default=0,
        validators=[non_negative],
        help_text=_(
            "Once the report is accepted, this is the project's completed investment of the "
            "month, over the sources as planned."
        ),
    )
    milestones = models.TextField(_("milestones reached"), blank=True)
    output_value = MoneyField(_("output value (yuan)"), default=0, validators=[non_negative])
    sales = MoneyField(_("sales (yuan)"), default=0, validators=[non_negative])
    problems = models.TextField(_("problems met"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    review_comment = models.TextField(_("review comment"), blank=True, editable=False)

    class Meta:
        verbose_name = _("monthly report (月报)")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "project__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                name="monthly_report_once_per_month",
                violation_error_message=_("This project already has a report for that month."),
            ),
            models.UniqueConstraint(
                fields=["pairing", "month"],
                name="monthly_report_pairing_once_per_month",
                violation_error_message=_("This pairing already has a report for that month."),
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=True, pairing__isnull=False)
                | Q(project__isnull=False, pairing__isnull=True),
                name="monthly_report_of_project_or_pairing",
                violation_error_message=_("A report is either a project's or a pairing's."),
            ),
        ]
        indexes = [models.Index(fields=["month"], name="monthly_report_month_idx")]

    def __str__(self) -> str:
        subject = self.project or self.pairing
        return f"{subject} · {month_name(self.month)}" if self.month else str(subject)

    def clean(self) -> None:
        if bool(self.project_id) == bool(self.pairing_id):
            raise ValidationError(
                {"project": _("Choose the project or the pairing the report is for (one of them).")}
            )
        if self.month and self.month > timezone.localdate().replace(day=1):
            raise ValidationError({"month": _("A report cannot be for a month still to come.")})


class ReportAttachment(ScopedModel):
    """A photo or document attached to a monthly report while it is still being written."""

    scope_paths = ScopePaths(
        town=("report__project__villages__town", "report__pairing__village__town"),
        village=("report__project__villages", "report__pairing__village"),
        enterprise=("report__project__enterprises", "report__pairing__enterprise"),
    )
    edit_policy = EditPolicy(
        create=frozenset({Role.VILLAGE, Role.ENTERPRISE}),
        delete=frozenset({Role.VILLAGE, Role.ENTERPRISE}),
    )
    autocomplete_fields = ("file_name",)

    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("monthly report (月报)"),
        related_name="attachments",
        on_delete=models.CASCADE,
    )
    file = models.FileField(_("file"), upload_to=uploads.upload_to, max_length=200)
    file_name = models.CharField(_("file name"), max_length=100, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.caption or self.file_name

    def clean(self) -> None:
        if self.report_id and self.report.status not in (
            MonthlyReport.Status.DRAFT,
            MonthlyReport.Status.RETURNED,
        ):
            raise ValidationError(
                {"report": _("Files can be attached only while the report is a draft or returned.")}
            )
