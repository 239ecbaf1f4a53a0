"""What every app shares: the scoped base model and the reference data.

Reference data (industries, cooperation models, dimensions, departments, resource kinds)
are rows with Chinese and English names, seeded by a migration and extendable by a
deployment, never hard-coded choice lists.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cunqi.core import uploads
from cunqi.core.permissions import TASKFORCE_ONLY, EditPolicy
from cunqi.core.scoping import ScopedManager, ScopePaths
from cunqi.core.text import month_name


class ScopedModel(models.Model):
    """A domain row: seen through ``visible_to``, changed per ``edit_policy``."""

    scope_paths: ScopePaths | None = ScopePaths()
    edit_policy: EditPolicy = TASKFORCE_ONLY
    # What the search box of a choice among these rows matches (and orders by).
    autocomplete_fields: tuple[str, ...] = ("name",)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return reverse(self.url_name("detail"), args=[self.pk])

    @classmethod
    def url_name(cls, action: str) -> str:
        return f"{cls._meta.app_label}:{cls._meta.model_name}_{action}"


class ReferenceItem(ScopedModel):
    scope_paths = None
    # A kind's own fields, shown in its table and form after the names.
    extra_fields: tuple[str, ...] = ()

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh


class Industry(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("industry (产业方向)")
        verbose_name_plural = _("industries")


class CooperationModel(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("cooperation model (合作模式)")
        verbose_name_plural = _("cooperation models")


class Dimension(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("revitalisation dimension (五大振兴)")
        verbose_name_plural = _("revitalisation dimensions")


class Department(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class ResourceKind(ReferenceItem):
    class Category(models.TextChoices):
        LAND = "land", _("land")
        ASSET = "asset", _("asset")
        LABOUR = "labour", _("labour")
        PRODUCT = "product", _("product")
        CAPITAL = "capital", _("capital")
        KNOW_HOW = "know_how", _("technology and markets")

    extra_fields = ("category", "default_unit")

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    default_unit = models.CharField(_("default unit"), max_length=20, blank=True)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("resource kind")
        verbose_name_plural = _("resource kinds")


class CalendarDay(ScopedModel):
    """A day that breaks the Monday-to-Friday rule: a public holiday on a weekday, or a
    weekend day worked in its place (调休). Time limits count working days by these;
    seeded from ``chinesecalendar`` for the years it knows, edited by the task force as
    the State Council announces each year's."""

    scope_paths = None  # everyone counts days by the same calendar

    day = models.DateField(_("day"), unique=True)
    working = models.BooleanField(
        _("worked"),
        default=False,
        help_text=_("A weekend day worked in place of a holiday; leave unticked for a holiday."),
    )
    name = models.CharField(_("occasion"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["-day"]  # the coming and current years first

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}".strip()

    def clean(self) -> None:
        weekend = self.day is not None and self.day.weekday() >= 5
        if self.day is not None and weekend != self.working:
            raise ValidationError(
                {
                    "working": _("A weekend day is off already: only a worked one is listed.")
                    if weekend
                    else _("A weekday is worked already: only a holiday is listed.")
                }
            )


def templated_document_choices() -> list[tuple[str, object]]:
    from cunqi.core.declarations import templated_documents

    return [(kind, document.label) for kind, document in templated_documents().items()]


class DocumentTemplate(ScopedModel):
    """An office's own Word template for a document Cunqi writes (the monthly bulletin):
    its layout, fonts and fixed wording, with tags where Cunqi fills in the figures
    (``core.wordtemplates``, docs/templates.md). Documents in its language are filled into
    it; without one, Cunqi uses its built-in 公文 layout."""

    scope_paths = None  # the task force's layout, the same for every reader
    autocomplete_fields = ("document",)

    document = models.CharField(
        pgettext_lazy("written by Cunqi", "document"),
        max_length=30,
        choices=templated_document_choices,
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    file = models.FileField(
        _("Word template"),
        upload_to=uploads.upload_to,
        max_length=200,
        help_text=_(
            "A .docx: start from the built-in template on the list of Word templates and "
            "keep the tags in braces where Cunqi fills in the figures."
        ),
    )
    file_name = models.CharField(_("file name"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Word template")
        verbose_name_plural = _("Word templates")
        ordering = ["document", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "language"], name="one_template_per_document_and_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_document_display()} ({self.get_language_display()})"


class Notification(models.Model):
    """A message for one user (reports due, cards issued, action items due): shown in the
    app, and e-mailed where e-mail is configured. Only its user ever sees it."""

    class Kind(models.TextChoices):
        REPORT_DUE = "report_due", _("monthly report due")
        CARD_ISSUED = "card_issued", _("card issued")
        ACTION_DUE = "action_due", _("action item due")
        REPORT_RETURNED = "report_returned", _("monthly report returned")
        REPORT_ACCEPTED = "report_accepted", _("monthly report accepted")
        CALENDAR_MISSING = "calendar_missing", _("holidays not entered")
        INSTRUCTION_GIVEN = "instr_given", _("leader's instruction to answer")
        INSTRUCTION_ANSWERED = "instr_answered", _("leader's instruction answered")
        INSTRUCTION_RETURNED = "instr_returned", _("leader's instruction sent back")
        INSTRUCTION_CLOSED = "instr_closed", _("leader's instruction closed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="notifications",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What it is about, e.g. "card:12" or "report:34:2026-10": a user is told once.
    key = models.CharField(max_length=60)
    # The figures of the message, which is worded in the reader's language when shown.
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="notification_once")
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        texts = {
            self.Kind.REPORT_DUE: gettext(
                "The monthly report of %(subject)s for %(month)s is due on %(due)s."
            ),
            self.Kind.CARD_ISSUED: gettext("A %(colour)s card was issued: %(subject)s."),
            self.Kind.ACTION_DUE: gettext("The action item “%(subject)s” is due on %(due)s."),
            self.Kind.REPORT_RETURNED: gettext(
                "The monthly report of %(subject)s for %(month)s was returned: %(comment)s"
            ),
            self.Kind.REPORT_ACCEPTED: gettext(
                "The monthly report of %(subject)s for %(month)s was accepted."
            ),
            self.Kind.INSTRUCTION_GIVEN: gettext(
                "%(leader)s gave an instruction on %(subject)s, to answer by %(due)s."
            ),
            self.Kind.INSTRUCTION_ANSWERED: gettext(
                "The instruction on %(subject)s was answered: read it and close it or send it back."
            ),
            self.Kind.INSTRUCTION_RETURNED: gettext(
                "%(leader)s sent back the instruction on %(subject)s: %(comment)s"
            ),
            self.Kind.INSTRUCTION_CLOSED: gettext(
                "%(leader)s closed the instruction on %(subject)s."
            ),
            self.Kind.CALENDAR_MISSING: gettext(
                "The working-day calendar has no holidays for %(year)s: time limits in "
                "%(year)s count Monday to Friday only until its holidays and make-up days "
                "are entered."
            ),
        }
        try:
            return texts[self.kind] % self.worded_params()
        except (KeyError, TypeError, ValueError):
            return self.get_kind_display()

    def worded_params(self) -> dict:
        """The figures as the reader's language writes them (months and days are stored
        as ISO text, so that a message reads in whichever language it is shown in)."""
        params = dict(self.params)
        if "month" in params:
            params["month"] = month_name(params["month"])
        if "due" in params:
            params["due"] = date_format(date.fromisoformat(params["due"]))
        return params


class ExportJob(models.Model):
    """A list page's Excel export too large to build while its user waits: built by a
    task from the list as that user sees it (their scope and filters), then kept for them
    alone to download."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("being written")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="+", on_delete=models.CASCADE
    )
    model = models.CharField(_("list"), max_length=100)  # the model's label: registry.Village
    query = models.CharField(_("filters"), max_length=2000, blank=True)
    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=100, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name or self.model

    @property
    def running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class SecurityEvent(models.Model):
    """One line of the audit trail other than a row's change (which the change history
    keeps): a sign-in or its failure, a refusal, a read or export of personal or payment
    data, an administrator's action; who, when, from where, what, and the outcome.
    Written by ``core.security.log_event`` only, never changed, and removed only by the
    archive once older than the retention period (on PostgreSQL the database itself
    refuses anything else: migration 0012)."""

    class Category(models.TextChoices):
        SIGN_IN = "sign_in", _("signing in and sessions")
        REFUSAL = "refusal", _("refusal")
        READ = "read", _("read or export of personal or payment data")
        CHANGE = "change", _("change of data")
        ADMIN = "admin", _("administration")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("done")
        FAILURE = "failure", _("failed")
        REFUSED = "refused", _("refused")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("event"), max_length=60)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    # The account as it was named then; kept without a foreign key, so that neither a
    # rename nor anything done to the account changes what the trail says.
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("user"), max_length=150, blank=True, db_index=True)
    address = models.CharField(_("from where"), max_length=45, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)
    request_id = models.CharField(_("request"), max_length=64, blank=True)
    details = models.TextField(_("what"), blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["category", "at"], name="core_event_category_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.username or '-'}"
