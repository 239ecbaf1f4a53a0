"""Leaders' instructions (领导批示): what 包抓 means in practice. A city leader writes an
instruction on a pairing, a project, a card or a monthly report, with a deadline and the
town or department that must answer; the unit answers; the leader closes it or sends it
back for more."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths
from cunqi.supervision.models.cards import Card
from cunqi.supervision.models.reports import MonthlyReport

SUBJECTS = ("pairing", "project", "card", "report")
# What an instruction is shown with: its leader, its subject and the unit that answers.
INSTRUCTION_RELATED = (
    "leader",
    "pairing__village",
    "pairing__enterprise",
    "project",
    "card__project",
    "card__pairing__village",
    "card__pairing__enterprise",
    "card__action_item",
    "report__project",
    "report__pairing__village",
    "report__pairing__enterprise",
    "answer_town",
    "answer_department",
)


class Instruction(ScopedModel):
    """A leader's instruction (批示) and its answer. Towns see those they must answer and
    those on their own pairings, projects, cards and reports."""

    scope_paths = ScopePaths(
        town=(
            "answer_town",
            "pairing__village__town",
            "project__villages__town",
            "card__town",
            "report__project__villages__town",
            "report__pairing__village__town",
        )
    )
    leader_path = "leader"  # a leader changes, closes and sends back only their own
    edit_policy = EditPolicy(
        create=frozenset({Role.LEADER}),
        edit=frozenset({Role.LEADER}),
        actions={
            "answer": frozenset({Role.TOWN, Role.DEPARTMENT}),
            "close": frozenset({Role.LEADER}),
        },
    )
    autocomplete_fields = ("text",)

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting the answer")
        ANSWERED = "answered", _("answered: for the leader to close")
        CLOSED = "closed", _("closed")

    leader = models.ForeignKey(
        "registry.Person",
        verbose_name=_("city leader (包抓领导)"),
        related_name="instructions",
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "leader"},
        help_text=_("The leader whose account writes it, unless the task force records it."),
        blank=True,
    )
    pairing = models.ForeignKey(
        "pairing.Pairing",
        verbose_name=_("pairing"),
        related_name="instructions",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="instructions",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    card = models.ForeignKey(
        Card,
        verbose_name=_("card"),
        related_name="instructions",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("monthly report (月报)"),
        related_name="instructions",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    text = models.TextField(_("instruction"))
    deadline = models.DateField(_("answer by"))
    answer_town = models.ForeignKey(
        "registry.Town",
        verbose_name=_("town to answer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    answer_department = models.ForeignKey(
        "core.Department",
        verbose_name=_("department to answer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, editable=False
    )
    given_on = models.DateField(_("given on"), editable=False)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        related_name="+",
        null=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    answer = models.TextField(
        pgettext_lazy("a leader's instruction", "answer"), blank=True, editable=False
    )
    answered_on = models.DateField(_("answered on"), null=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        related_name="+",
        null=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    follow_up = models.TextField(_("leader's follow-up"), blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, editable=False)

    class Meta:
        verbose_name = _("leader's instruction (批示)")
        verbose_name_plural = _("leaders' instructions")
        ordering = ["status", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(pairing__isnull=False, project=None, card=None, report=None)
                    | Q(pairing=None, project__isnull=False, card=None, report=None)
                    | Q(pairing=None, project=None, card__isnull=False, report=None)
                    | Q(pairing=None, project=None, card=None, report__isnull=False)
                ),
                name="instruction_on_one_subject",
                violation_error_message=_(
                    "An instruction is on one pairing, project, card or report."
                ),
            ),
            models.CheckConstraint(
                condition=Q(answer_town__isnull=False) | Q(answer_department__isnull=False),
                name="instruction_has_a_unit_to_answer",
                violation_error_message=_("Give the town or the department that must answer."),
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False)
                | (~Q(status="closed") & Q(closed_on__isnull=True)),
                name="instruction_closed_has_a_date",
                violation_error_message=_("A closed instruction has the date it was closed."),
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="instruction_status_idx")]

    def __str__(self) -> str:
        return f"{self.leader} · {self.subject}" if self.leader_id else str(self.subject)

    @property
    def subject(self):
        return self.pairing or self.project or self.card or self.report

    def clean(self) -> None:
        if sum(getattr(self, f"{name}_id") is not None for name in SUBJECTS) != 1:
            raise ValidationError(
                {"pairing": _("Choose the one pairing, project, card or report it is on.")}
            )
        if not self.answer_town_id and not self.answer_department_id:
            raise ValidationError(
                {"answer_town": _("Give the town or the department that must answer.")}
            )
        if self.answer_town_id and self.answer_department_id:
            raise ValidationError(
                {"answer_department": _("One unit answers: the town or the department.")}
            )
        if self.given_on and self.deadline and self.deadline < self.given_on:
            raise ValidationError({"deadline": _("The deadline cannot be before the day given.")})
