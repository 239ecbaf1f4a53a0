from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths


class Pairing(ScopedModel):
    """One village paired with one enterprise (结对), led by a city leader (包抓领导)."""

    scope_paths = ScopePaths(town="village__town", village="village", enterprise="enterprise")
    edit_policy = EditPolicy(create=frozenset({Role.TOWN}), edit=frozenset({Role.TOWN}))

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")
        CANCELLED = "cancelled", _("cancelled")

    OPEN_STATUSES = (Status.PROPOSED, Status.ACTIVE)

    village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("village"),
        related_name="pairings",
        on_delete=models.PROTECT,
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        related_name="pairings",
        on_delete=models.PROTECT,
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    leader = models.ForeignKey(
        "registry.Person",
        verbose_name=_("city leader (包抓领导)"),
        related_name="led_pairings",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "leader"},
    )
    taskforce_contact = models.ForeignKey(
        "registry.Person",
        verbose_name=_("task-force contact"),
        related_name="contact_pairings",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "taskforce"},
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("pairing (结对)")
        verbose_name_plural = _("pairings")
        ordering = ["village__town__name", "village__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="pairing_ends_after_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.UniqueConstraint(
                fields=["village", "enterprise"],
                condition=Q(status__in=["proposed", "active"]),
                name="pairing_open_once",
                violation_error_message=_("This village and enterprise are already paired."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.village} — {self.enterprise}"

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end cannot be before the start.")})
