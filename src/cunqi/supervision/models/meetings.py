"""Joint meetings (联席会议) and the action items they assign (督办事项)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths


class Meeting(ScopedModel):
    """A joint meeting (联席会议) of the task force and departments, with its decisions."""

    # City-wide roles see every meeting; a town sees those that assigned it an item.
    scope_paths = ScopePaths(town="action_items__owner_town")
    autocomplete_fields = ("topic",)

    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    departments = models.ManyToManyField(
        "core.Department", verbose_name=_("departments"), blank=True, related_name="+"
    )
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)

    class Meta:
        verbose_name = _("joint meeting (联席会议)")
        verbose_name_plural = _("joint meetings")
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.topic}" if self.held_on else self.topic


class ActionItem(ScopedModel):
    """An item a meeting assigns (督办事项): owner, deadline, progress; overdue raises a card."""

    scope_paths = ScopePaths(town="owner_town")
    edit_policy = EditPolicy(edit=frozenset({Role.TOWN}))
    autocomplete_fields = ("title",)

    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        DONE = "done", _("done")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), related_name="action_items", on_delete=models.PROTECT
    )
    title = models.CharField(_("item"), max_length=200)
    owner_town = models.ForeignKey(
        "registry.Town",
        verbose_name=_("responsible town"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    owner_department = models.ForeignKey(
        "core.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    owner_name = models.CharField(_("responsible person"), max_length=50, blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    progress = models.TextField(_("progress"), blank=True)

    class Meta:
        verbose_name = _("action item (督办事项)")
        verbose_name_plural = _("action items")
        ordering = ["status", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner_town__isnull=False) | Q(owner_department__isnull=False),
                name="action_item_has_an_owner",
                violation_error_message=_("Give the responsible town or department."),
            ),
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True)
                | Q(status="done", done_on__isnull=False),
                name="action_item_done_has_a_date",
                violation_error_message=_(
                    "An item that is done has the date it was done, and only then."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.status == self.Status.DONE and not self.done_on:
            raise ValidationError({"done_on": _("Give the date the item was done.")})
        if self.status == self.Status.OPEN and self.done_on:
            raise ValidationError({"status": _("Mark the item done, or leave its date empty.")})
        if self.meeting_id and self.deadline and self.deadline < self.meeting.held_on:
            raise ValidationError({"deadline": _("The deadline cannot be before the meeting.")})
