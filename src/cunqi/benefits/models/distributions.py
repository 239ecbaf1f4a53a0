"""A year's profit distributed by an equity structure, and its payouts."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cunqi.benefits.models.equity import PROJECT_SCOPE, EquityStructure, Stake
from cunqi.core.fields import MoneyField
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role


class Distribution(ScopedModel):
    """One year's distributable profit of a project, split by its equity structure (分红).

    draft → approved (by someone other than who prepared it) → posted to the journal;
    a posted distribution is corrected by reversing it and preparing a new one.
    """

    autocomplete_fields = ("project__name",)

    scope_paths = PROJECT_SCOPE
    # A town prepares; a city leader (or the task force) approves; the task force posts.
    edit_policy = EditPolicy.writers(
        Role.TOWN,
        actions={"approve": frozenset({Role.LEADER}), "post": frozenset(), "reverse": frozenset()},
    )

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        POSTED = "posted", _("posted")
        REVERSED = "reversed", _("reversed")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="distributions",
        on_delete=models.PROTECT,
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    profit = MoneyField(
        _("distributable profit (yuan)"),
        validators=[
            MinValueValidator(
                Decimal("0.01"), message=_("The distributable profit must be more than zero.")
            )
        ],
    )
    structure = models.ForeignKey(
        EquityStructure,
        verbose_name=_("equity structure"),
        related_name="distributions",
        on_delete=models.PROTECT,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("distribution (分红)")
        verbose_name_plural = _("distributions")
        ordering = ["-year", "project__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(profit__gt=0),
                name="distribution_profit_positive",
                violation_error_message=_("The distributable profit must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")),
                name="distribution_four_eyes",
                violation_error_message=_("Whoever prepared a distribution cannot approve it."),
            ),
            models.UniqueConstraint(
                fields=["project", "year"],
                condition=~Q(status="reversed"),
                name="distribution_once_per_year",
                violation_error_message=_("This project already has a distribution for that year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.year}"


class Payout(models.Model):
    """What one stake (or, for the villagers' pool, one household) receives."""

    distribution = models.ForeignKey(
        Distribution,
        verbose_name=_("distribution"),
        related_name="payouts",
        on_delete=models.CASCADE,
    )
    stake = models.ForeignKey(
        Stake, verbose_name=_("stake"), related_name="payouts", on_delete=models.PROTECT
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        related_name="payouts",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    amount = MoneyField(_("amount (yuan)"))

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["distribution", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="payout_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.stake.get_holder_display()} {self.household or ''} {self.amount}"

    @property
    def payee(self):
        return (
            self.household
            or self.stake.village_group
            or self.stake.enterprise
            or self.stake.village
        )
