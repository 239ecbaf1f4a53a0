"""The project library (项目库): a project begins as an application by its village or
enterprise, is reviewed by the town and then by the county's joint review, enters the
library, is placed in a year's plan (rolled over while it waits for funds) and becomes a
project; an entry may leave the library with a reason. Only a project that came through
the library may receive funds from a source that requires it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cunqi.core import uploads
from cunqi.core.fields import MoneyField, non_negative
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import PARTNERS, Role
from cunqi.core.scoping import ScopePaths

YEAR = (MinValueValidator(2000), MaxValueValidator(2100))
# The parts of the investment estimate by where the money comes from (资金来源).
FUND_PARTS = (
    "from_higher_level",
    "from_department",
    "from_enterprise",
    "from_village",
    "from_other",
)


class ProjectApplication(ScopedModel):
    """An application for the project library (项目申报), after the village's meeting (村两委
    or villager representatives) and its posting on the village board; then an entry of the
    library (入库项目) with its library code, its plan year and, once started, its project."""

    scope_paths = ScopePaths(
        town="pairing__village__town", village="pairing__village", enterprise="pairing__enterprise"
    )
    edit_policy = EditPolicy(
        create=PARTNERS,
        edit=PARTNERS,
        delete=PARTNERS,
        actions={
            "submit": PARTNERS,
            "town_review": frozenset({Role.TOWN}),
            # The county's joint review: the task force and the departments at its table.
            "county_review": frozenset({Role.DEPARTMENT}),
            "plan": frozenset(),
            "leave": frozenset(),
            "start_project": frozenset({Role.TOWN}),
        },
    )
    autocomplete_fields = ("name", "library_code")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("awaiting the town's review")
        TOWN_APPROVED = "town_approved", _("awaiting the county's joint review")
        RETURNED = "returned", _("returned for revision")
        IN_LIBRARY = "in_library", _("in the library (已入库)")
        PLANNED = "planned", _("in a year's plan")
        STARTED = "started", _("project started")
        LEFT = "left", _("left the library (出库)")

    WRITING = (Status.DRAFT, Status.RETURNED)
    # Entries of the library: what was admitted and has not left it.
    ENTRIES = (Status.IN_LIBRARY, Status.PLANNED, Status.STARTED)

    pairing = models.ForeignKey(
        "pairing.Pairing",
        verbose_name=_("pairing"),
        related_name="applications",
        on_delete=models.PROTECT,
    )
    year = models.PositiveSmallIntegerField(_("year applied for"), validators=YEAR)
    name = models.CharField(_("project name"), max_length=100)
    content = models.TextField(_("what will be built (建设内容)"))
    location = models.CharField(_("where (实施地点)"), max_length=200)
    industry = models.ForeignKey(
        "core.Industry", verbose_name=_("industry"), related_name="+", on_delete=models.PROTECT
    )
    cooperation_models = models.ManyToManyField(
        "core.CooperationModel", verbose_name=_("cooperation models"), related_name="+"
    )
    investment_estimate = MoneyField(
        _("investment estimate (投资概算, yuan)"), validators=[non_negative]
    )
    from_higher_level = MoneyField(
        _("of which higher-level funds (yuan)"), default=0, validators=[non_negative]
    )
    from_department = MoneyField(
        _("of which department funds (yuan)"), default=0, validators=[non_negative]
    )
    from_enterprise = MoneyField(
        _("of which the enterprise (yuan)"), default=0, validators=[non_negative]
    )
    from_village = MoneyField(
        _("of which the village collective (yuan)"), default=0, validators=[non_negative]
    )
    from_other = MoneyField(
        _("of which other sources (yuan)"), default=0, validators=[non_negative]
    )
    linkage = models.TextField(
        _("benefit linkage to households (联农带农机制)"),
        help_text=_(
            "How households gain: employment, dividends, land rent, orders, production support."
        ),
    )
    households_linked = models.PositiveIntegerField(_("households to benefit"))
    poor_households_linked = models.PositiveIntegerField(
        _("of which lifted-out-of-poverty and monitored households"), default=0
    )
    performance_targets = models.TextField(
        _("performance targets (绩效目标)"),
        help_text=_("Outputs (quantity, quality, time, cost), benefits and satisfaction."),
    )
    meeting_on = models.DateField(
        _("meeting held on"),
        help_text=_("The village committee's or villager representatives' meeting."),
    )
    board_posted_on = models.DateField(_("posted on the village board on"), null=True, blank=True)
    file = models.FileField(
        _("meeting record"), upload_to=uploads.upload_to, blank=True, max_length=200
    )
    file_name = models.CharField(_("file name"), max_length=100, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    library_code = models.CharField(
        _("library code"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    entered_on = models.DateField(
        _("entered the library on"), null=True, blank=True, editable=False
    )
    plan_year = models.PositiveSmallIntegerField(
        _("plan year"), null=True, blank=True, editable=False, validators=YEAR
    )
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        related_name="application",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
    )
    left_reason = models.CharField(
        _("why it left the library"), max_length=300, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("project library application")
        verbose_name_plural = _("project library")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    investment_estimate=sum((F(part) for part in FUND_PARTS[1:]), F(FUND_PARTS[0]))
                ),
                name="application_sources_add_up",
                violation_error_message=_(
                    "The fund sources must add up to the investment estimate."
                ),
            ),
            models.CheckConstraint(
                condition=Q(poor_households_linked__lte=F("households_linked")),
                name="application_poor_within_linked",
                violation_error_message=_(
                    "The households lifted out of poverty or monitored are among those to benefit."
                ),
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=True) | Q(status="started"),
                name="application_project_only_when_started",
            ),
        ]
        indexes = [models.Index(fields=["status", "plan_year"], name="application_plan_idx")]

    def __str__(self) -> str:
        return f"{self.library_code} {self.name}" if self.library_code else self.name

    def clean(self) -> None:
        parts = sum(getattr(self, part) or 0 for part in FUND_PARTS)
        if self.investment_estimate is not None and parts != self.investment_estimate:
            raise ValidationError(
                {
                    "investment_estimate": _(
                        "The fund sources add up to %(parts)s yuan, not the estimate of %(estimate)s yuan."
                    )
                    % {"parts": f"{parts:,.2f}", "estimate": f"{self.investment_estimate:,.2f}"}
                }
            )
        if (
            self.households_linked is not None
            and self.poor_households_linked is not None
            and self.poor_households_linked > self.households_linked
        ):
            raise ValidationError(
                {
                    "poor_households_linked": _(
                        "The households lifted out of poverty or monitored are among those to benefit."
                    )
                }
            )
        today = timezone.localdate()
        if self.meeting_on and self.meeting_on > today:
            raise ValidationError({"meeting_on": _("The meeting cannot be in the future.")})
        if self.board_posted_on:
            if self.board_posted_on > today:
                raise ValidationError({"board_posted_on": _("This date cannot be in the future.")})
            if self.meeting_on and self.board_posted_on < self.meeting_on:
                raise ValidationError(
                    {
                        "board_posted_on": _(
                            "The application is posted after the meeting decided it."
                        )
                    }
                )

    @property
    def in_library(self) -> bool:
        return self.status in self.ENTRIES


class ApplicationEvent(models.Model):
    """A step of an application's way through the library: who decided, when, and their
    opinion (审核意见); what a public notice of the step would carry."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted to the town")
        TOWN_APPROVED = "town_approved", _("passed the town's review")
        TOWN_RETURNED = "town_returned", _("returned by the town")
        COUNTY_APPROVED = (
            "county_approved",
            _("passed the county's joint review, entered the library"),
        )
        COUNTY_RETURNED = "county_returned", _("returned by the county's joint review")
        PLANNED = "planned", _("placed in a year's plan")
        ROLLED_OVER = "rolled_over", _("rolled over to the next year's plan")
        LEFT = "left", _("left the library")
        STARTED = "started", _("project started")

    application = models.ForeignKey(
        ProjectApplication,
        verbose_name=_("project library application"),
        related_name="events",
        on_delete=models.CASCADE,
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    opinion = models.TextField(_("opinion"), blank=True)

    class Meta:
        verbose_name = _("project library step")
        verbose_name_plural = _("project library steps")
        ordering = ["application", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.get_kind_display()}"
