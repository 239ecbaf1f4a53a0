from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cunqi.core import uploads
from cunqi.core.fields import HundredthsField, MoneyField, non_negative
from cunqi.core.models import ScopedModel
from cunqi.core.permissions import EditPolicy
from cunqi.core.roles import Role
from cunqi.core.scoping import ScopePaths
from cunqi.core.validators import validate_first_of_month
from cunqi.supervision import rules

PROJECT_SCOPE = ScopePaths(
    town="project__villages__town", village="project__villages", enterprise="project__enterprises"
)


class MonthlyReport(ScopedModel):
    """A project's or a pairing's monthly report (月报): written and submitted by its
    village or enterprise, reviewed by the town or the task force, who accept it or return
    it with comments. Card rules and the bulletin count project reports; a pairing's report
    covers the work beside its projects (visits, training, purchases)."""

    scope_paths = ScopePaths(
        town=("project__villages__town", "pairing__village__town"),
        village=("project__villages", "pairing__village"),
        enterprise=("project__enterprises", "pairing__enterprise"),
    )
    edit_policy = EditPolicy(
        create=frozenset({Role.VILLAGE, Role.ENTERPRISE}),
        edit=frozenset({Role.VILLAGE, Role.ENTERPRISE}),
        delete=frozenset({Role.VILLAGE, Role.ENTERPRISE}),
        actions={
            "submit": frozenset({Role.VILLAGE, Role.ENTERPRISE}),
            "review": frozenset({Role.TOWN}),
        },
    )
    autocomplete_fields = ("project__name",)

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned")
        ACCEPTED = "accepted", _("accepted")

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        related_name="monthly_reports",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    pairing = models.ForeignKey(
        "pairing.Pairing",
        verbose_name=_("pairing"),
        related_name="monthly_reports",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For a pairing's own report; leave the project empty."),
    )
    month = models.DateField(_("month"), validators=[validate_first_of_month])
    investment_completed = MoneyField(
        _("investment completed this month (yuan)"), default=0, validators=[non_negative]
    )
    milestones = models.TextField(_("milestones reached"), blank=True)
    jobs = models.PositiveIntegerField(_("villagers employed"), default=0)
    wages = MoneyField(_("wages paid (yuan)"), default=0, validators=[non_negative])
    output_value = MoneyField(_("output value (yuan)"), default=0, validators=[non_negative])
    sales = MoneyField(_("sales (yuan)"), default=0, validators=[non_negative])
    problems = models.TextField(_("problems met"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        related_name="+",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
    )
    review_comment = models.TextField(_("review comment"), blank=True, editable=False)

    class Meta:
        verbose_name = _("monthly report (月报)")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "project__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "month"],
                name="monthly_report_once_per_month",
                violation_error_message=_("This project already has a report for that month."),
            ),
            models.UniqueConstraint(
                fields=["pairing", "month"],
                name="monthly_report_pairing_once_per_month",
                violation_error_message=_("This pairing already has a report for that month."),
            ),
            models.CheckConstraint(
                condition=Q(project__isnull=True, pairing__isnull=False)
                | Q(project__isnull=False, pairing__isnull=True),
                name="monthly_report_of_project_or_pairing",
                violation_error_message=_("A report is either a project's or a pairing's."),
            ),
        ]
        indexes = [models.Index(fields=["month"], name="monthly_report_month_idx")]

    def __str__(self) -> str:
        subject = self.project or self.pairing
        return f"{subject} · {self.month:%Y-%m}" if self.month else str(subject)

    def clean(self) -> None:
        if bool(self.project_id) == bool(self.pairing_id):
            raise ValidationError(
                {"project": _("Choose the project or the pairing the report is for (one of them).")}
            )
        if self.month and self.month > timezone.localdate().replace(day=1):
            raise ValidationError({"month": _("A report cannot be for a month still to come.")})


class ReportAttachment(ScopedModel):
    """A photo or document attached to a monthly report while it is still being written."""

    scope_paths = ScopePaths(
        town=("report__project__villages__town", "report__pairing__village__town"),
        village=("report__project__villages", "report__pairing__village"),
        enterprise=("report__project__enterprises", "report__pairing__enterprise"),
    )
    edit_policy = EditPolicy(
        create=frozenset({Role.VILLAGE, Role.ENTERPRISE}),
        delete=frozenset({Role.VILLAGE, Role.ENTERPRISE}),
    )
    autocomplete_fields = ("file_name",)

    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("monthly report (月报)"),
        related_name="attachments",
        on_delete=models.CASCADE,
    )
    file = models.FileField(_("file"), upload_to=uploads.upload_to, max_length=200)
    file_name = models.CharField(_("file name"), max_length=100, editable=False)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.caption or self.file_name

    def clean(self) -> None:
        if self.report_id and self.report.status not in (
            MonthlyReport.Status.DRAFT,
            MonthlyReport.Status.RETURNED,
        ):
            raise ValidationError(
                {"report": _("Files can be attached only while the report is a draft or returned.")}
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


class Card(ScopedModel):
    """A red or yellow card (红黄牌) on a project or a pairing: issued when a rule fires,
    updated while it fires, and cleared by the task force once it no longer does."""

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
        YELLOW = "yellow", _("yellow")
        RED = "red", _("red")

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
    reason = models.CharField(_("reason"), max_length=40, editable=False)
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
        verbose_name = _("card (红黄牌)")
        verbose_name_plural = _("cards")
        ordering = ["status", "colour", "-issued_on", "pk"]  # red before yellow
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
        """The reason in the reader's language, with the figures."""
        figures = dict(self.figures)
        for money in ("completed", "planned"):
            if money in figures:
                figures[money] = f"{Decimal(figures[money]):,.2f}"
        if "documents" in figures:
            # Each document is kept as [Chinese name, English name].
            english = (get_language() or "").startswith("en")
            figures["documents"] = gettext(", ").join(
                names[1 if english else 0] for names in figures["documents"]
            )
        if "months" in figures:
            # Translators: between the items of a list (Chinese uses the enumeration comma).
            figures["months"] = gettext(", ").join(figures["months"])
        messages = {
            "investment_behind": gettext(
                "Investment completed is %(percent)s%% of plan to date (%(completed)s of %(planned)s yuan)."
            ),
            "report_missing": gettext(
                "The report for %(month)s was due on %(due)s and is missing."
            ),
            "reports_missing": gettext("No monthly report for %(months)s."),
            "report_late": gettext(
                "The report for %(month)s was due on %(due)s and came on %(submitted)s."
            ),
            "no_leader": gettext("The pairing has no city leader."),
            "action_overdue": gettext(
                "An action item was due on %(deadline)s (%(days)s days ago)."
            ),
            "documents_overdue": gettext(
                "Approval documents promised under 容缺受理 are not supplied: %(documents)s "
                "(the first was promised for %(promised)s, %(days)s days ago)."
            ),
        }
        return messages.get(self.reason, self.reason) % figures


class Bulletin(ScopedModel):
    """A month's bulletin (月通报): its Word document, Excel annex and PDF, generated by a
    task and kept. Every signed-in user may read bulletins: they are published."""

    scope_paths = None
    edit_policy = EditPolicy(actions={"generate": frozenset()})
    autocomplete_fields = ("month",)

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    month = models.DateField(_("month"), unique=True, validators=[validate_first_of_month])
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    message = models.CharField(_("message"), max_length=300, blank=True)
    generated_at = models.DateTimeField(_("generated"), null=True, blank=True)
    docx = models.FileField(_("Word document"), upload_to="bulletins/", blank=True)
    xlsx = models.FileField(_("Excel annex"), upload_to="bulletins/", blank=True)
    pdf = models.FileField(_("PDF"), upload_to="bulletins/", blank=True)

    class Meta:
        verbose_name = _("monthly bulletin (月通报)")
        verbose_name_plural = _("monthly bulletins")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}" if self.month else ""

    def clean(self) -> None:
        if self.month and self.month > timezone.localdate().replace(day=1):
            raise ValidationError({"month": _("A bulletin cannot be for a month still to come.")})


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
        INVESTMENT = "investment_rate", _("investment completed against the year's plan (%)")
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
