"""Nominations for demonstration and awards (示范、表彰)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths


class Nomination(ScopedModel):
    """A village, project or enterprise nominated as a demonstration (示范) for a year, and
    the task force's decision; approving a project marks it a demonstration project."""

    scope_paths = ScopePaths(
        town=("village__town", "project__villages__town", "enterprise__pairings__village__town"),
        village=("village", "project__villages"),
        enterprise=("enterprise", "project__enterprises"),
    )
    edit_policy = EditPolicy(
        create=frozenset({Role.TOWN}),
        edit=frozenset({Role.TOWN}),
        delete=frozenset({Role.TOWN}),
        actions={"decide": frozenset()},
    )
    autocomplete_fields = ("reason",)

    class Kind(models.TextChoices):
        VILLAGE = "village", _("demonstration village")
        PROJECT = "project", _("demonstration project")
        ENTERPRISE = "enterprise", _("demonstration enterprise")

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("nominated")
        APPROVED = "approved", _("approved")
        DECLINED = "declined", _("declined")

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    village = models.ForeignKey(
        "registry.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    reason = models.TextField(_("why"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOMINATED, editable=False
    )
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("demonstration nomination")
        verbose_name_plural = _("demonstration nominations")
        ordering = ["-year", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind="village",
                    village__isnull=False,
                    project__isnull=True,
                    enterprise__isnull=True,
                )
                | Q(
                    kind="project",
                    village__isnull=True,
                    project__isnull=False,
                    enterprise__isnull=True,
                )
                | Q(
                    kind="enterprise",
                    village__isnull=True,
                    project__isnull=True,
                    enterprise__isnull=False,
                ),
                name="nomination_names_its_kind",
                violation_error_message=_(
                    "Name the village, project or enterprise the kind says, and only it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()} · {self.nominee}"

    @property
    def nominee(self):
        return self.village or self.project or self.enterprise


class Award(ScopedModel):
    """An award given at the annual ceremony (表彰)."""

    scope_paths = None  # awards are public within the programme
    autocomplete_fields = ("title",)

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("award"), max_length=100)
    recipient = models.CharField(_("recipient"), max_length=100)
    town = models.ForeignKey(
        "registry.Town", verbose_name=_("town"), null=True, blank=True, on_delete=models.SET_NULL
    )
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    awarded_on = models.DateField(_("awarded on"))

    class Meta:
        verbose_name = _("award (表彰)")
        verbose_name_plural = _("awards")
        ordering = ["-year", "title", "recipient"]

    def __str__(self) -> str:
        return f"{self.year} {self.title} · {self.recipient}"
