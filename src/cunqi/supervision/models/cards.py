"""Card rules and the red, yellow and green cards they issue (红黄绿牌)."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cunqi.core import money
from cunqi.core.fields import HundredthsField
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths
from cunqi.core.text import month_name
from cunqi.supervision import rules
from cunqi.supervision.models.meetings import ActionItem

# Cards in order of urgency: red, yellow, then green.
RED_FIRST = models.Case(
    models.When(colour=rules.Colour.RED.value, then=0),
    models.When(colour=rules.Colour.YELLOW.value, then=1),
    default=2,
)


class RuleSetting(ScopedModel):
    """A card rule's switch and thresholds, which the task force changes."""

    scope_paths = None  # every signed-in user may read the rules that judge them

    class Rule(models.TextChoices):
        INVESTMENT = "investment_progress", _("investment completed against plan")
        REPORTS = "report_timeliness", _("monthly reports on time")
        LEADER = "pairing_leader", _("pairing has a city leader")
        ACTIONS = "action_item_overdue", _("action items done on time")
        DOCUMENTS = "approval_documents_overdue", _("promised approval documents supplied on time")
        ON_TRACK = "quarter_on_track", _("a quarter on track: reports on time, investment on plan")

    rule = models.CharField(_("rule"), max_length=40, choices=Rule.choices, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    yellow_below = HundredthsField(
        _("yellow below (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    red_below = HundredthsField(
        _("red below (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    due_day = models.PositiveSmallIntegerField(
        _("reports due on day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("The day of the next month by which a month's report is due."),
    )
    green_from = HundredthsField(
        _("green from (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_(
            "A project earns a green card when every report of a quarter came on time and was "
            "accepted, and investment completed reached this share of its plan to the quarter's end."
        ),
    )
    red_after_missing = models.PositiveSmallIntegerField(
        _("red after months missing"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )

    class Meta:
        verbose_name = _("card rule")
        verbose_name_plural = _("card rules")
        ordering = ["rule"]

    def __str__(self) -> str:
        return self.get_rule_display()

    @classmethod
    def report_due_day(cls) -> int:
        """The day of the next month by which a month's report is due (10 unless set)."""
        setting = cls.objects.filter(rule=cls.Rule.REPORTS).first()
        return (setting.due_day if setting else None) or 10

    def clean(self) -> None:
        if self.rule == self.Rule.INVESTMENT:
            if self.yellow_below is None or self.red_below is None:
                raise ValidationError(_("Give both thresholds."))
            try:
                rules.check_thresholds(self.yellow_below, self.red_below)
            except rules.ThresholdsOutOfOrder:
                raise ValidationError(
                    {"red_below": _("The red threshold must not be above the yellow one.")}
                ) from None
        if self.rule == self.Rule.REPORTS and (not self.due_day or not self.red_after_missing):
            raise ValidationError(_("Give the due day and the months missing before red."))
        if self.rule == self.Rule.ON_TRACK and self.green_from is None:
            raise ValidationError({"green_from": _("Give the share of plan that earns green.")})


class Card(ScopedModel):
    """A red, yellow or green card (红黄绿牌) on a project, a pairing or an action item:
    issued when a rule fires and updated while it fires. A red or yellow card is cleared by
    the task force once its rule no longer fires; a green one lapses by itself then."""

    scope_paths = ScopePaths(
        town="town",
        village=("project__villages", "pairing__village"),
        enterprise=("project__enterprises", "pairing__enterprise"),
    )
    edit_policy = EditPolicy(
        edit=frozenset({Role.TOWN}), actions={"clear": frozenset(), "evaluate": frozenset()}
    )
    autocomplete_fields = ("subject_key",)

    class Colour(models.TextChoices):
        GREEN = rules.Colour.GREEN, _("green")
        YELLOW = rules.Colour.YELLOW, _("yellow")
        RED = rules.Colour.RED, _("red")

    class Reason(models.TextChoices):
        INVESTMENT_BEHIND = rules.Reason.INVESTMENT_BEHIND, _("investment behind plan")
        REPORT_MISSING = rules.Reason.REPORT_MISSING, _("monthly report missing")
        REPORTS_MISSING = rules.Reason.REPORTS_MISSING, _("monthly reports missing months running")
        REPORT_LATE = rules.Reason.REPORT_LATE, _("monthly report late")
        NO_LEADER = rules.Reason.NO_LEADER, _("no city leader")
        ACTION_OVERDUE = rules.Reason.ACTION_OVERDUE, _("action item overdue")
        DOCUMENTS_OVERDUE = rules.Reason.DOCUMENTS_OVERDUE, _("approval documents overdue")
        QUARTER_ON_TRACK = rules.Reason.QUARTER_ON_TRACK, _("a quarter on track")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("rule no longer fires: to confirm")
        CLEARED = "cleared", _("cleared")

    rule = models.CharField(_("rule"), max_length=40, choices=RuleSetting.Rule.choices)
    colour = models.CharField(_("colour"), max_length=10, choices=Colour.choices)
    # "project:12" or "pairing:7": one open card per rule and subject.
    subject_key = models.CharField(_("subject"), max_length=40, editable=False)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="cards",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    pairing = models.ForeignKey(
        "pairing.Pairing",
        verbose_name=_("pairing"),
        related_name="cards",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    action_item = models.ForeignKey(
        ActionItem,
        verbose_name=_("action item"),
        related_name="cards",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    # The town the card counts for on the board (none for a department's action item).
    town = models.ForeignKey(
        "registry.Town",
        verbose_name=_("town"),
        related_name="cards",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    reason = models.CharField(_("reason"), max_length=40, choices=Reason.choices, editable=False)
    figures = models.JSONField(_("figures"), default=dict, editable=False)
    issued_on = models.DateField(_("issued"), editable=False)
    colour_changed_on = models.DateField(_("colour changed"), null=True, editable=False)
    evaluated_on = models.DateField(_("last evaluated"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, editable=False
    )
    plan = models.TextField(_("rectification plan (整改)"), blank=True)
    deadline = models.DateField(_("rectify by"), null=True, blank=True)
    cleared_on = models.DateField(_("cleared"), null=True, editable=False)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cleared by"),
        related_name="+",
        null=True,
        on_delete=models.PROTECT,
        editable=False,
    )

    class Meta:
        verbose_name = _("card (红黄绿牌)")
        verbose_name_plural = _("cards")
        ordering = ["status", RED_FIRST, "-issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject_key"],
                condition=~Q(status="cleared"),
                name="card_one_open_per_rule_and_subject",
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=False, pairing__isnull=True, action_item__isnull=True)
                | Q(project__isnull=True, pairing__isnull=False, action_item__isnull=True)
                | Q(project__isnull=True, pairing__isnull=True, action_item__isnull=False),
                name="card_has_one_subject",
            ),
        ]
        indexes = [models.Index(fields=["status", "colour"], name="card_status_colour_idx")]

    def __str__(self) -> str:
        return f"{self.get_colour_display()} · {self.subject} · {self.get_rule_display()}"

    @property
    def subject(self):
        return self.project or self.pairing or self.action_item

    @property
    def reason_text(self) -> str:
        """Why the card was issued, as a sentence in the reader's language."""
        figures = dict(self.figures)
        for name in ("completed", "planned"):
            if name in figures:
                figures[name] = money.amount(Decimal(figures[name]))
        for day in ("due", "submitted", "deadline", "promised"):
            if day in figures:
                figures[day] = date_format(date.fromisoformat(figures[day]))
        if "month" in figures:
            figures["month"] = month_name(figures["month"])
        if "months" in figures:
            # Translators: between the items of a list (Chinese uses the enumeration comma).
            figures["months"] = gettext(", ").join(month_name(month) for month in figures["months"])
        if "documents" in figures:
            # Each document is kept as [Chinese name, English name].
            english = (get_language() or "").startswith("en")
            figures["documents"] = gettext(", ").join(
                names[1 if english else 0] for names in figures["documents"]
            )
        if "quarter" in figures:
            figures["quarter"] = gettext("Q%(quarter)s %(year)s") % figures
        messages = {
            self.Reason.INVESTMENT_BEHIND: gettext(
                "Investment completed is %(percent)s%% of plan to date "
                "(%(completed)s of %(planned)s)."
            ),
            self.Reason.REPORT_MISSING: gettext(
                "The report for %(month)s was due on %(due)s and is missing."
            ),
            self.Reason.REPORTS_MISSING: gettext("No monthly report for %(months)s."),
            self.Reason.REPORT_LATE: gettext(
                "The report for %(month)s was due on %(due)s and came on %(submitted)s."
            ),
            self.Reason.NO_LEADER: gettext("The pairing has no city leader."),
            self.Reason.ACTION_OVERDUE: gettext(
                "An action item was due on %(deadline)s (%(days)s days ago)."
            ),
            self.Reason.DOCUMENTS_OVERDUE: gettext(
                "Approval documents accepted as missing (容缺受理) are not supplied: "
                "%(documents)s (the first was promised for %(promised)s, %(days)s days ago)."
            ),
            self.Reason.QUARTER_ON_TRACK: gettext(
                "Every monthly report of %(quarter)s came on time and was accepted, and "
                "investment completed reached %(percent)s%% of plan."
            ),
        }
        return messages.get(self.reason, self.reason) % figures
