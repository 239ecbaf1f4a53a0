import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cunqi.core.filters import SearchFilterSet
from cunqi.registry.filtersets import town_filter, zone_filter
from cunqi.registry.models import Village
from cunqi.supervision.models import (
    ActionItem,
    Award,
    Bulletin,
    Card,
    EvaluationScheme,
    Instruction,
    Meeting,
    MonthlyReport,
    Nomination,
    QuarterlyReview,
    ReportAttachment,
    RuleSetting,
)


class MonthlyReportFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name", "pairing__village__name", "problems")
    zone = zone_filter(method="filter_place")
    town = town_filter(method="filter_place")
    kind = django_filters.ChoiceFilter(
        label=_("report of"),
        choices=(("project", _("a project")), ("pairing", _("a pairing"))),
        method="filter_kind",
    )
    month = django_filters.DateFilter(label=_("month"))

    class Meta:
        model = MonthlyReport
        fields = ("zone", "town", "kind", "month", "status")

    def filter_place(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        # A project's report lies where its villages do, a pairing's where its village does.
        place = "town__zone" if name == "zone" else "town"
        return queryset.filter(
            Q(project__villages__in=Village.objects.filter(**{place: value}))
            | Q(pairing__village__in=Village.objects.filter(**{place: value}))
        ).distinct()

    def filter_kind(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return queryset.filter(**{f"{value}__isnull": False})


class ReportAttachmentFilterSet(SearchFilterSet):
    search_fields = ("file_name", "caption", "report__project__name")
    town = town_filter("report__project__villages__town", distinct=True)

    class Meta:
        model = ReportAttachment
        fields = ("town",)


class RuleSettingFilterSet(SearchFilterSet):
    search_fields = ("rule",)

    class Meta:
        model = RuleSetting
        fields = ("enabled",)


class CardFilterSet(SearchFilterSet):
    search_fields = ("project__name", "project__code", "pairing__village__name", "town__name")
    zone = zone_filter("town__zone")
    town = town_filter("town")

    class Meta:
        model = Card
        fields = ("zone", "town", "colour", "status", "rule")


class MeetingFilterSet(SearchFilterSet):
    search_fields = ("topic", "decisions", "minutes")

    class Meta:
        model = Meeting
        fields = ()


class ActionItemFilterSet(SearchFilterSet):
    search_fields = ("title", "owner_name", "progress")
    town = town_filter("owner_town")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))

    class Meta:
        model = ActionItem
        fields = ("town", "status", "overdue")

    def filter_overdue(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        overdue = Q(status=ActionItem.Status.OPEN, deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class BulletinFilterSet(SearchFilterSet):
    search_fields = ("message",)

    class Meta:
        model = Bulletin
        fields = ("status",)


class EvaluationSchemeFilterSet(SearchFilterSet):
    search_fields = ("name",)

    class Meta:
        model = EvaluationScheme
        fields = ("year",)


class QuarterlyReviewFilterSet(SearchFilterSet):
    search_fields = ("comments", "reviewer", "town__name", "zone__name", "pairing__village__name")

    class Meta:
        model = QuarterlyReview
        fields = ("year", "quarter", "published")


class NominationFilterSet(SearchFilterSet):
    search_fields = ("village__name", "project__name", "enterprise__name", "reason")

    class Meta:
        model = Nomination
        fields = ("year", "kind", "status")


class AwardFilterSet(SearchFilterSet):
    search_fields = ("title", "recipient")

    class Meta:
        model = Award
        fields = ("year",)


class InstructionFilterSet(SearchFilterSet):
    search_fields = ("text", "answer", "leader__name", "project__name", "pairing__village__name")
    overdue = django_filters.BooleanFilter(label=_("overdue"), method="filter_overdue")

    class Meta:
        model = Instruction
        fields = ("leader", "answer_town", "answer_department", "status", "overdue")

    def filter_overdue(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        overdue = Q(status=Instruction.Status.OPEN, deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
