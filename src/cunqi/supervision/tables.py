import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cunqi.core.tables import MoneyColumn, ObjectTable
from cunqi.supervision.models import (
    ActionItem,
    Award,
    Bulletin,
    Card,
    DemonstrationCriteria,
    EvaluationScheme,
    Instruction,
    Meeting,
    MonthlyReport,
    Nomination,
    QuarterlyReview,
    ReportAttachment,
    RuleSetting,
)


class MonthlyReportTable(ObjectTable):
    project = tables.Column(
        verbose_name=_("project or pairing"),
        accessor="pk",
        order_by=("project__code", "pairing__village__name"),
        linkify=lambda record: record.get_absolute_url(),
    )
    month = tables.DateColumn(format="Y-m")
    investment_completed = MoneyColumn()
    submitted_at = tables.DateTimeColumn(format="Y-m-d")

    class Meta(ObjectTable.Meta):
        model = MonthlyReport
        fields = ("project", "month", "investment_completed", "status", "submitted_at")

    def render_project(self, record: MonthlyReport) -> str:
        return str(record.project or record.pairing)

    def value_project(self, record: MonthlyReport) -> str:
        return str(record.project or record.pairing)


class RuleSettingTable(ObjectTable):
    rule = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = RuleSetting
        fields = (
            "rule",
            "enabled",
            "yellow_below",
            "red_below",
            "green_from",
            "due_day",
            "red_after_missing",
        )


class CardTable(ObjectTable):
    colour = tables.Column()
    subject = tables.Column(
        verbose_name=_("subject"),
        accessor="pk",
        orderable=False,
        linkify=lambda record: record.get_absolute_url(),
    )
    town = tables.Column()
    reason = tables.Column(verbose_name=_("reason"), orderable=False)
    issued_on = tables.DateColumn(format="Y-m-d")

    class Meta(ObjectTable.Meta):
        model = Card
        fields = ("colour", "subject", "town", "rule", "reason", "issued_on", "status", "deadline")

    def render_colour(self, record: Card) -> str:
        return format_html(
            '<span class="badge bg-{} text-white">{}</span>',
            record.colour,
            record.get_colour_display(),
        )

    def render_subject(self, record: Card) -> str:
        return str(record.subject)

    def render_reason(self, record: Card) -> str:
        return record.reason_text


class MeetingTable(ObjectTable):
    held_on = tables.DateColumn(format="Y-m-d", linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = Meeting
        fields = ("held_on", "topic")


class ActionItemTable(ObjectTable):
    title = tables.Column(linkify=lambda record: record.get_absolute_url())
    meeting = tables.Column(linkify=True)
    deadline = tables.DateColumn(format="Y-m-d")

    class Meta(ObjectTable.Meta):
        model = ActionItem
        fields = ("title", "owner_town", "owner_department", "deadline", "status", "meeting")


class BulletinTable(ObjectTable):
    month = tables.DateColumn(format="Y-m", linkify=lambda record: record.get_absolute_url())
    generated_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta(ObjectTable.Meta):
        model = Bulletin
        fields = ("month", "status", "language", "generated_at")


class DemonstrationCriteriaTable(ObjectTable):
    every_village_paired = tables.BooleanColumn(linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = DemonstrationCriteria
        fields = ("every_village_paired", "min_projects", "count_projects_being_built")


class EvaluationSchemeTable(ObjectTable):
    name = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(ObjectTable.Meta):
        model = EvaluationScheme
        fields = ("year", "name", "excellent_from", "good_from", "pass_from")


class QuarterlyReviewTable(ObjectTable):
    subject = tables.Column(
        verbose_name=_("subject"),
        accessor="pk",
        orderable=False,
        linkify=lambda record: record.get_absolute_url(),
    )
    total = tables.Column(verbose_name=_("total"), accessor="pk", orderable=False)

    class Meta(ObjectTable.Meta):
        model = QuarterlyReview
        fields = ("year", "quarter", "subject", "total", "reviewer", "published")

    def render_subject(self, record: QuarterlyReview) -> str:
        return str(record.subject)

    def render_total(self, record: QuarterlyReview) -> int:
        return record.total


class NominationTable(ObjectTable):
    nominee = tables.Column(
        verbose_name=_("nominee"),
        accessor="pk",
        orderable=False,
        linkify=lambda record: record.get_absolute_url(),
    )

    class Meta(ObjectTable.Meta):
        model = Nomination
        fields = ("year", "kind", "nominee", "status")

    def render_nominee(self, record: Nomination) -> str:
        return str(record.nominee)


class AwardTable(ObjectTable):
    title = tables.Column(linkify=lambda record: record.get_absolute_url())
    awarded_on = tables.DateColumn(format="Y-m-d")

    class Meta(ObjectTable.Meta):
        model = Award
        fields = ("year", "title", "recipient", "town", "awarded_on")


class ReportAttachmentTable(ObjectTable):
    file_name = tables.Column(linkify=lambda record: record.get_absolute_url())
    report = tables.Column(linkify=True)
    download = tables.Column(
        verbose_name=_("file"),
        accessor="pk",
        orderable=False,
        linkify=lambda record: reverse("supervision:reportattachment_file", args=[record.pk]),
    )

    class Meta(ObjectTable.Meta):
        model = ReportAttachment
        fields = ("file_name", "caption", "report", "download")

    def render_download(self, value: object) -> str:
        return _("Download")


class InstructionTable(ObjectTable):
    text = tables.Column(linkify=lambda record: record.get_absolute_url())
    deadline = tables.DateColumn(format="Y-m-d")
    given_on = tables.DateColumn(format="Y-m-d")

    class Meta(ObjectTable.Meta):
        model = Instruction
        fields = (
            "text",
            "leader",
            "pairing",
            "project",
            "card",
            "report",
            "answer_town",
            "answer_department",
            "deadline",
            "status",
            "given_on",
        )
