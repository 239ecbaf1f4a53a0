from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cunqi.core.fields import MoneyField, non_negative
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths
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
        return f"{self.project} {self.month:%Y-%m}"


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
        return f"{self.month:%Y-%m}"
