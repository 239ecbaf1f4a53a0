"""The annual evaluation's schemes and indicators, quarterly reviews (季点评) and
the criteria of demonstration towns."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cunqi.core.fields import HundredthsField
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths


class DemonstrationCriteria(ScopedModel):
    """What makes a demonstration town (示范镇): one row, which the task force edits."""

    scope_paths = None
    edit_policy = EditPolicy(actions={"name_towns": frozenset()})

    every_village_paired = models.BooleanField(
        _("every village in an active pairing"), default=True
    )
    min_projects = models.PositiveSmallIntegerField(
        _("projects each village needs at least"),
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(20)],
    )
    count_projects_being_built = models.BooleanField(
        _("count projects being built too"),
        default=False,
        help_text=_("Otherwise only operating projects count."),
    )

    class Meta:
        verbose_name = _("demonstration town criteria")
        verbose_name_plural = _("demonstration town criteria")

    def __str__(self) -> str:
        return str(_("demonstration town criteria"))

    @classmethod
    def current(cls) -> "DemonstrationCriteria":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class EvaluationScheme(ScopedModel):
    """A year's annual comprehensive evaluation (年度综合评价): its indicators with weights
    (summing to 100%) and the grade thresholds."""

    scope_paths = None  # published to everyone signed in
    autocomplete_fields = ("name",)

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(_("name"), max_length=100)
    excellent_from = HundredthsField(_("excellent from"), default=Decimal(90))
    good_from = HundredthsField(_("good from"), default=Decimal(75))
    pass_from = HundredthsField(_("pass from"), default=Decimal(60))

    class Meta:
        verbose_name = _("annual evaluation (年度综合评价)")
        verbose_name_plural = _("annual evaluations")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (0 <= self.pass_from <= self.good_from <= self.excellent_from <= 100):
            raise ValidationError(
                _("Thresholds must rise from pass to good to excellent, within 0–100.")
            )

    def thresholds(self) -> list[tuple[Decimal, str]]:
        return [
            (self.excellent_from, gettext("excellent")),
            (self.good_from, gettext("good")),
            (self.pass_from, gettext("pass")),
            (Decimal(0), gettext("fail")),
        ]


class EvaluationIndicator(models.Model):
    """One indicator of a scheme and its weight."""

    class Code(models.TextChoices):
        INVESTMENT = "investment_rate", _("investment completed against plan to the year's end (%)")
        PAIRED = "pairing_coverage", _("villages in an active pairing (%)")
        LEADERS = "leader_coverage", _("pairings with a city leader (%)")
        PROJECTS = "projects_per_village", _("projects being built or run per village")
        INCOME = "collective_income", _("village collective income from the programme per village")
        JOBS = "jobs_per_village", _("villagers employed by projects per village")
        REPORTS = "reports_on_time", _("monthly reports on time (%)")
        CARDS = "cards", _("red and yellow cards (a red counts 10 points, a yellow 2.5)")

    KINDS = {
        Code.INVESTMENT: "rate",
        Code.PAIRED: "rate",
        Code.LEADERS: "rate",
        Code.PROJECTS: "relative",
        Code.INCOME: "relative",
        Code.JOBS: "relative",
        Code.REPORTS: "rate",
        Code.CARDS: "penalty",
    }
    DIMENSIONS = {
        Code.INVESTMENT: _("industry"),
        Code.PROJECTS: _("industry"),
        Code.PAIRED: _("organisation"),
        Code.LEADERS: _("organisation"),
        Code.INCOME: _("benefit linkage"),
        Code.JOBS: _("benefit linkage"),
        Code.REPORTS: _("supervision record"),
        Code.CARDS: _("supervision record"),
    }

    scheme = models.ForeignKey(
        EvaluationScheme,
        verbose_name=_("annual evaluation"),
        related_name="indicators",
        on_delete=models.CASCADE,
    )
    code = models.CharField(_("indicator"), max_length=40, choices=Code.choices)
    weight = HundredthsField(
        _("weight (%)"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["scheme", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="evaluation_indicator_once",
                violation_error_message=_("This indicator is already in the scheme."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.weight}%"


class QuarterlyReview(ScopedModel):
    """A quarterly review (季点评) of a zone, a town or a pairing by the task force or a
    city leader: a score and comments, seen by those in scope once published."""

    scope_paths = ScopePaths(
        town=("town", "zone__towns", "pairing__village__town"),
        village="pairing__village",
        enterprise="pairing__enterprise",
    )
    scoped_users_see_only = Q(published=True)
    edit_policy = EditPolicy.writers(Role.LEADER)
    autocomplete_fields = ("comments",)

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    # A review belongs to its subject: a subject entered by mistake and deleted takes its
    # reviews with it.
    zone = models.ForeignKey(
        "registry.Zone", verbose_name=_("zone"), null=True, blank=True, on_delete=models.CASCADE
    )
    town = models.ForeignKey(
        "registry.Town", verbose_name=_("town"), null=True, blank=True, on_delete=models.CASCADE
    )
    pairing = models.ForeignKey(
        "pairing.Pairing",
        verbose_name=_("pairing"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    progress_score = models.PositiveSmallIntegerField(
        _("progress (of 40)"), validators=[MaxValueValidator(40)]
    )
    benefit_score = models.PositiveSmallIntegerField(
        _("benefit linkage (of 30)"), validators=[MaxValueValidator(30)]
    )
    work_score = models.PositiveSmallIntegerField(
        _("organisation and reporting (of 30)"), validators=[MaxValueValidator(30)]
    )
    comments = models.TextField(_("comments"))
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Only published reviews are seen in scope.")
    )
    reviewer = models.CharField(_("reviewer"), max_length=50)

    class Meta:
        verbose_name = _("quarterly review (季点评)")
        verbose_name_plural = _("quarterly reviews")
        ordering = ["-year", "-quarter", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(zone__isnull=False, town__isnull=True, pairing__isnull=True)
                | Q(zone__isnull=True, town__isnull=False, pairing__isnull=True)
                | Q(zone__isnull=True, town__isnull=True, pairing__isnull=False),
                name="quarterly_review_has_one_subject",
                violation_error_message=_("Review exactly one zone, town or pairing."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter} {self.subject}"

    @property
    def subject(self):
        return self.zone or self.town or self.pairing

    @property
    def total(self) -> int:
        return self.progress_score + self.benefit_score + self.work_score

    def clean(self) -> None:
        if sum(1 for subject in (self.zone_id, self.town_id, self.pairing_id) if subject) != 1:
            raise ValidationError(_("Review exactly one zone, town or pairing."))
