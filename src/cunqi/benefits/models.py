from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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

    scope_paths = PROJECT_SCOPE
    edit_policy = EditPolicy(
        create=frozenset({Role.TOWN}), edit=frozenset({Role.TOWN}), delete=frozenset({Role.TOWN})
    )

    class VillagersRule(models.TextChoices):
        PER_PERSON = "per_person", _("per person")
        PER_HOUSEHOLD = "per_household", _("equally per household")

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

    def delete(self, *args, **kwargs):
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
    share = HundredthsField(_("share (%)"))

    class Meta:
        verbose_name = _("stake")
        verbose_name_plural = _("stakes")
        ordering = ["structure", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=HUNDRED_PERCENT),
                name="stake_share_between_0_and_100",
                violation_error_message=_("A share is more than 0% and at most 100%."),
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
