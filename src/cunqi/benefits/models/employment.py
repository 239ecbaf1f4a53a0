"""Villagers employed by a project."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cunqi.core.fields import MoneyField
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths
from cunqi.core.validators import validate_first_of_month


class Employment(ScopedModel):
    """A villager employed by a project (劳务合作), with a monthly wage over a period."""

    scope_paths = ScopePaths(
        town="project__villages__town",
        village="household__village",
        enterprise="project__enterprises",
    )
    edit_policy = EditPolicy.writers(Role.TOWN, Role.ENTERPRISE)
    autocomplete_fields = ("worker_name",)

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="employments",
        on_delete=models.PROTECT,
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        related_name="employments",
        on_delete=models.PROTECT,
    )
    worker_name = models.CharField(_("worker"), max_length=50)
    role = models.CharField(_("work"), max_length=100, blank=True)
    monthly_wage = MoneyField(
        _("monthly wage (yuan)"),
        validators=[
            MinValueValidator(
                Decimal("0.01"), message=_("The monthly wage must be more than zero.")
            )
        ],
    )
    start_month = models.DateField(_("from month"), validators=[validate_first_of_month])
    end_month = models.DateField(
        _("to month"),
        null=True,
        blank=True,
        validators=[validate_first_of_month],
        help_text=_("Empty while the villager still works there."),
    )

    class Meta:
        verbose_name = _("employment (劳务)")
        verbose_name_plural = _("employment")
        ordering = ["project__code", "worker_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(monthly_wage__gt=0), name="employment_wage_positive"
            ),
            models.CheckConstraint(
                condition=Q(end_month__isnull=True) | Q(end_month__gte=F("start_month")),
                name="employment_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker_name} · {self.project}"

    def clean(self) -> None:
        if self.end_month and self.start_month and self.end_month < self.start_month:
            raise ValidationError({"end_month": _("The end cannot be before the start.")})
        if (
            self.household_id
            and self.project_id
            and not self.project.villages.filter(pk=self.household.village_id).exists()
        ):
            raise ValidationError(
                {"household": _("This household is not in one of the project's villages.")}
            )
