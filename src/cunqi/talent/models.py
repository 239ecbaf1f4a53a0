"""Talent (人才振兴): university experts, the village collective economy development
advisors (村集体经济发展顾问) that enterprises station in villages, what they do there, and
the trainings of local people."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths

VILLAGE_SCOPE = ScopePaths(town="village__town", village="village")


class Expert(ScopedModel):
    """An expert from a university or institute who advises and lectures."""

    scope_paths = None  # the expert directory is open to every signed-in user

    name = models.CharField(_("name"), max_length=50)
    institution = models.CharField(_("institution"), max_length=100)
    field = models.CharField(_("field"), max_length=100)
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.institution}）"


class Advisor(ScopedModel):
    """An advisor stationed in a paired village by its enterprise, for a term that lies
    within the pairing's."""

    scope_paths = ScopePaths(town="village__town", village="village", enterprise="enterprise")
    edit_policy = EditPolicy.writers(Role.TOWN, Role.ENTERPRISE)

    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("stationed by"),
        related_name="advisors",
        on_delete=models.PROTECT,
    )
    village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("village"),
        related_name="advisors",
        on_delete=models.PROTECT,
    )
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"))

    class Meta:
        verbose_name = _("advisor")
        verbose_name_plural = _("advisors")
        ordering = ["village__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=F("term_start")),
                name="advisor_term_ordered",
                violation_error_message=_("The term cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from cunqi.talent.services import check_advisor_term

        check_advisor_term(self)


class Service(ScopedModel):
    """What an expert or advisor did in a village: a lecture, technical guidance or a
    decision consultation."""

    autocomplete_fields = ("topic",)

    scope_paths = VILLAGE_SCOPE
    edit_policy = EditPolicy.writers(Role.TOWN, Role.ADVISOR, Role.EXPERT)

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("lecture")
        GUIDANCE = "guidance", _("technical guidance")
        CONSULTATION = "consultation", _("decision consultation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("village"),
        related_name="talent_services",
        on_delete=models.PROTECT,
    )
    expert = models.ForeignKey(
        Expert,
        verbose_name=_("expert"),
        null=True,
        blank=True,
        related_name="services",
        on_delete=models.PROTECT,
    )
    advisor = models.ForeignKey(
        Advisor,
        verbose_name=_("advisor"),
        null=True,
        blank=True,
        related_name="services",
        on_delete=models.PROTECT,
    )
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    attendance = models.PositiveIntegerField(_("attendance"), default=0)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("talent service")
        verbose_name_plural = _("talent services")
        ordering = ["-held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expert__isnull=True, advisor__isnull=False)
                | Q(expert__isnull=False, advisor__isnull=True),
                name="service_by_expert_or_advisor",
                violation_error_message=_("Give either the expert or the advisor."),
            )
        ]

    def __str__(self) -> str:
        return self.topic

    def clean(self) -> None:
        if bool(self.expert_id) == bool(self.advisor_id):
            raise ValidationError({"expert": _("Give either the expert or the advisor.")})
        if self.advisor_id and self.village_id and self.advisor.village_id != self.village_id:
            raise ValidationError({"advisor": _("This advisor serves another village.")})


class Training(ScopedModel):
    """A training of local people (villagers, cadres) held in or for a village."""

    autocomplete_fields = ("topic",)

    scope_paths = VILLAGE_SCOPE
    edit_policy = EditPolicy.writers(Role.TOWN, Role.VILLAGE, Role.ADVISOR, Role.EXPERT)

    village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("village"),
        related_name="trainings",
        on_delete=models.PROTECT,
    )
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    trainees = models.PositiveIntegerField(_("people trained"))
    hours = models.PositiveSmallIntegerField(
        _("hours"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    expert = models.ForeignKey(
        Expert,
        verbose_name=_("expert"),
        null=True,
        blank=True,
        related_name="trainings",
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return self.topic
