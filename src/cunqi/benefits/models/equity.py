"""Equity structures, their stakes, and the villagers' weights within a village's share."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cunqi.core import history
from cunqi.core.fields import HundredthsField
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths

PROJECT_SCOPE = ScopePaths(
    town="project__villages__town", village="project__villages", enterprise="project__enterprises"
)
HUNDRED_PERCENT = 100


class EquityStructure(ScopedModel):
    """Who owns what share of a project's distributable profit (股份结构), from a date on.

    A structure is complete when its stakes sum to exactly 100%; the database refuses to
    mark it complete otherwise, and refuses any change to the stakes of a complete one.
    """

    autocomplete_fields = ("project__name",)

    scope_paths = PROJECT_SCOPE
    edit_policy = EditPolicy.writers(Role.TOWN)

    class VillagersRule(models.TextChoices):
        PER_PERSON = "per_person", _("per person")
        PER_MU = "per_mu", _("per mu of land contributed")
        PER_HOUSEHOLD = "per_household", _("equally per household")
        WEIGHTS = "weights", _("explicit weights")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="equity_structures",
        on_delete=models.PROTECT,
    )
    valid_from = models.DateField(_("in force from"))
    villagers_rule = models.CharField(
        _("villagers' pool split"),
        max_length=20,
        choices=VillagersRule.choices,
        default=VillagersRule.PER_PERSON,
        help_text=_("How the villagers' share is divided among the village's households."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_complete = models.BooleanField(_("complete"), default=False, editable=False)

    class Meta:
        verbose_name = _("equity structure (股份结构)")
        verbose_name_plural = _("equity structures")
        ordering = ["project__code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "valid_from"],
                name="equity_structure_one_per_date",
                violation_error_message=_(
                    "This project already has a structure in force from that date."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.valid_from:%Y-%m-%d}"

    def delete(self, *args: object, **kwargs: object):
        # The stakes of a complete structure are frozen in the database; opening it first
        # lets the cascade remove them, in the same transaction.
        with transaction.atomic():
            if self.is_complete:
                EquityStructure.objects.filter(pk=self.pk).update(is_complete=False)
            return super().delete(*args, **kwargs)


class Stake(models.Model):
    """One holder's share of a structure: a village collective, a village group, an
    enterprise, or the villagers of a village (split among its households)."""

    class Holder(models.TextChoices):
        VILLAGE_COLLECTIVE = "village_collective", _("village collective")
        VILLAGE_GROUP = "village_group", _("village group")
        ENTERPRISE = "enterprise", _("enterprise")
        VILLAGERS = "villagers", _("villagers' pool")

    structure = models.ForeignKey(
        EquityStructure,
        verbose_name=_("equity structure"),
        related_name="stakes",
        on_delete=models.CASCADE,
    )
    holder = models.CharField(_("holder"), max_length=20, choices=Holder.choices)
    village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    village_group = models.ForeignKey(
        "registry.VillageGroup",
        verbose_name=_("village group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    share = HundredthsField(
        _("share (%)"),
        validators=[
            MinValueValidator(
                Decimal("0.01"), message=_("A share is more than 0%% and at most 100%%.")
            ),
            MaxValueValidator(
                Decimal("100"), message=_("A share is more than 0%% and at most 100%%.")
            ),
        ],
    )

    objects = history.RecordedManager()

    class Meta:
        verbose_name = _("stake")
        verbose_name_plural = _("stakes")
        ordering = ["structure", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=HUNDRED_PERCENT),
                name="stake_share_between_0_and_100",
                # Django formats this message with %: a literal percent sign is doubled.
                violation_error_message=_("A share is more than 0%% and at most 100%%."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        holder="village_collective",
                        village__isnull=False,
                        village_group__isnull=True,
                        enterprise__isnull=True,
                    )
                    | Q(
                        holder="villagers",
                        village__isnull=False,
                        village_group__isnull=True,
                        enterprise__isnull=True,
                    )
                    | Q(
                        holder="village_group",
                        village__isnull=True,
                        village_group__isnull=False,
                        enterprise__isnull=True,
                    )
                    | Q(
                        holder="enterprise",
                        village__isnull=True,
                        village_group__isnull=True,
                        enterprise__isnull=False,
                    )
                ),
                name="stake_names_its_holder",
                violation_error_message=_(
                    "Name the village for a village collective or the villagers, the group for a "
                    "village group, the enterprise for an enterprise — and nothing else."
                ),
            ),
        ]

    def __str__(self) -> str:
        holder = self.village or self.village_group or self.enterprise
        return f"{self.get_holder_display()} {holder} {self.share}%"


class VillagerWeight(ScopedModel):
    """A household's weight in a structure's villagers' pool, for the explicit-weights rule
    (for example shares agreed at a villagers' meeting)."""

    autocomplete_fields = ("household__head_name",)

    # Seen by those who see the household (not the enterprise), as its payouts are.
    scope_paths = ScopePaths(town="household__village__town", village="household__village")
    edit_policy = EditPolicy.writers(Role.TOWN)

    structure = models.ForeignKey(
        EquityStructure,
        verbose_name=_("equity structure"),
        related_name="weights",
        on_delete=models.CASCADE,
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("household"), on_delete=models.PROTECT
    )
    weight = HundredthsField(
        _("weight"),
        validators=[
            MinValueValidator(Decimal("0.01"), message=_("A weight must be more than zero."))
        ],
    )

    class Meta:
        verbose_name = _("household weight")
        verbose_name_plural = _("household weights")
        ordering = ["structure", "household__number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "household"],
                name="villager_weight_once_per_household",
                violation_error_message=_("This household already has a weight in this structure."),
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="villager_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.household} × {self.weight}"

    def clean(self) -> None:
        if (
            self.structure_id
            and self.household_id
            and not self.structure.stakes.filter(
                holder=Stake.Holder.VILLAGERS, village=self.household.village_id
            ).exists()
        ):
            raise ValidationError(
                {
                    "household": _(
                        "This household's village has no villagers' stake in this structure."
                    )
                }
            )
