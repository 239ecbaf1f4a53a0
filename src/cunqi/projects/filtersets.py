import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cunqi.core.filters import SearchFilterSet, YearFilter, visible
from cunqi.core.models import CooperationModel, Industry
from cunqi.projects import lifecycle
from cunqi.projects.models import (
    Approval,
    ApprovalDocument,
    Handover,
    HandoverAsset,
    Investment,
    Project,
    ProjectApplication,
)
from cunqi.registry.filtersets import town_filter, zone_filter


class ProjectFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "villages__name", "enterprises__name")
    zone = zone_filter("villages__town__zone", distinct=True)
    town = town_filter("villages__town", distinct=True)
    industry = django_filters.ModelChoiceFilter(queryset=visible(Industry), label=_("industry"))
    model = django_filters.ModelChoiceFilter(
        field_name="cooperation_models",
        queryset=visible(CooperationModel),
        label=_("cooperation model"),
        distinct=True,
    )
    landed = django_filters.BooleanFilter(method="filter_landed", label=_("landed"))

    class Meta:
        model = Project
        fields = ("zone", "town", "industry", "model", "status", "is_demonstration", "landed")

    def search(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return super().search(queryset, name, value).distinct()

    def filter_landed(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return (
            queryset.filter(status__in=lifecycle.LANDED)
            if value
            else queryset.exclude(status__in=lifecycle.LANDED)
        )


class InvestmentFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name")
    zone = zone_filter("project__villages__town__zone", distinct=True)
    town = town_filter("project__villages__town", distinct=True)
    year = YearFilter(field_name="month__year")

    class Meta:
        model = Investment
        fields = ("zone", "town", "year", "month", "source")


class ApprovalFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name")
    town = town_filter("project__villages__town", distinct=True)
    open = django_filters.BooleanFilter(
        field_name="completed_on", lookup_expr="isnull", label=_("still open")
    )

    class Meta:
        model = Approval
        fields = ("town", "green_channel", "open")


class ApprovalDocumentFilterSet(SearchFilterSet):
    search_fields = ("approval__project__code", "approval__project__name", "responsible")
    town = town_filter("approval__project__villages__town", distinct=True)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))

    class Meta:
        model = ApprovalDocument
        fields = ("town", "status", "overdue")

    def filter_overdue(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        overdue = Q(status=ApprovalDocument.Status.PROMISED, promised_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class HandoverFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name", "receiving_village__name")
    town = town_filter("receiving_village__town")

    class Meta:
        model = Handover
        fields = ("town", "status")


class HandoverAssetFilterSet(SearchFilterSet):
    search_fields = ("name", "handover__project__name")

    class Meta:
        model = HandoverAsset
        fields = ()


class ProjectApplicationFilterSet(SearchFilterSet):
    search_fields = ("library_code", "name", "pairing__village__name", "pairing__enterprise__name")
    zone = zone_filter("pairing__village__town__zone")
    town = town_filter("pairing__village__town")

    class Meta:
        model = ProjectApplication
        fields = ("zone", "town", "status", "year", "plan_year", "industry")
