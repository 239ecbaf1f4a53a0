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

    autocomplete_fields = ("village__name", "enterprise__name")

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


class MatchingRun(ScopedModel):
    """One run of the recommender over a scope, with the weights and constraints chosen
    (kept, so runs can be compared)."""

    autocomplete_fields = ("zone__name", "town__name")

    # City-wide roles only: a run ranks every village and enterprise in its scope.
    scope_paths = ScopePaths()
    edit_policy = EditPolicy(delete=frozenset())

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    zone = models.ForeignKey(
        "registry.Zone",
        verbose_name=_("zone"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty for the whole city."),
    )
    town = models.ForeignKey(
        "registry.Town",
        verbose_name=_("town"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty for the whole zone or city."),
    )
    complementarity_weight = models.FloatField(_("weight of complementary resources"), default=0.6)
    industry_weight = models.FloatField(_("weight of industry fit"), default=0.2)
    proximity_weight = models.FloatField(_("weight of proximity"), default=0.2)
    distance_scale_km = models.FloatField(
        _("distance scale (km)"),
        default=30.0,
        help_text=_("Proximity falls to about a third at this distance."),
    )
    max_distance_km = models.FloatField(_("farthest pairing (km)"), default=100.0)
    min_score = models.FloatField(_("minimum score"), default=0.1)
    keep_existing = models.BooleanField(
        _("keep existing pairings"),
        default=True,
        help_text=_("Open pairings stay and use up the enterprises' capacity."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED, editable=False
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0, editable=False)
    message = models.CharField(_("message"), max_length=300, blank=True, editable=False)
    started_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("started by"),
        related_name="+",
        null=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    finished_at = models.DateTimeField(_("finished"), null=True, editable=False)
    villages = models.PositiveIntegerField(_("villages"), default=0, editable=False)
    enterprises = models.PositiveIntegerField(_("enterprises"), default=0, editable=False)
    candidates = models.PositiveIntegerField(_("candidate pairs"), default=0, editable=False)
    objective = models.FloatField(_("total score recommended"), null=True, editable=False)
    current_objective = models.FloatField(
        _("total score of the current pairings"), null=True, editable=False
    )

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    complementarity_weight__gte=0, industry_weight__gte=0, proximity_weight__gte=0
                ),
                name="matching_run_weights_not_negative",
                violation_error_message=_("Weights cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(distance_scale_km__gt=0, max_distance_km__gt=0),
                name="matching_run_distances_positive",
                violation_error_message=_("Distances must be more than zero."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.town or self.zone or _("whole city")
        return (
            f"#{self.pk} {scope} {self.created_at:%Y-%m-%d %H:%M}"
            if self.created_at
            else str(scope)
        )

    def clean(self) -> None:
        weights = (self.complementarity_weight, self.industry_weight, self.proximity_weight)
        if any(w is not None and w < 0 for w in weights):
            raise ValidationError(_("Weights cannot be negative."))
        if all(w == 0 for w in weights):
            raise ValidationError(_("At least one weight must be more than zero."))
        if self.town_id and self.zone_id and self.town.zone_id != self.zone_id:
            raise ValidationError({"town": _("This town is not in the chosen zone.")})


class Recommendation(ScopedModel):
    """A recommended pair from a run, why, and what the task force decided."""

    autocomplete_fields = ("village__name", "enterprise__name")

    scope_paths = ScopePaths()
    edit_policy = EditPolicy(actions={"decide": frozenset()})

    class Decision(models.TextChoices):
        PENDING = "pending", _("to decide")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")
        EXISTING = "existing", _("already paired")

    run = models.ForeignKey(
        MatchingRun,
        verbose_name=_("matching run"),
        related_name="recommendations",
        on_delete=models.CASCADE,
    )
    village = models.ForeignKey(
        "registry.Village", verbose_name=_("village"), related_name="+", on_delete=models.PROTECT
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    score = models.FloatField(_("score"))
    distance_km = models.FloatField(_("distance (km)"))
    # {"complementarity": …, "industry": …, "proximity": …, "kinds": {kind code: share}}
    terms = models.JSONField(_("score by term"), default=dict)
    # [[enterprise id, score], …], best first
    alternatives = models.JSONField(_("alternatives"), default=list)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    pairing = models.ForeignKey(
        Pairing,
        verbose_name=_("proposed pairing"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["run", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "village", "enterprise"], name="recommendation_once_per_run"
            ),
        ]

    def __str__(self) -> str:
        return self.reads_as(self.village, self.enterprise, self.score)

    @staticmethod
    def reads_as(village: object, enterprise: object, score: float) -> str:
        """How a recommendation reads (its history names rows stored without instances)."""
        return f"{village} — {enterprise} ({score:.3f})"
