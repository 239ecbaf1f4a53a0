import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cunqi.core.filters import SearchFilterSet, visible
from cunqi.core.models import Industry, ResourceKind
from cunqi.registry.models import (
    Enterprise,
    Household,
    Person,
    Resource,
    Town,
    Village,
    VillageGroup,
    VillageIncome,
    Zone,
)


def zone_filter(
    path: str = "zone", *, distinct: bool = False, method: str | None = None
) -> django_filters.ModelChoiceFilter:
    """Filter by zone along ``path`` (distinct where the path crosses a many-relation), or
    by the filter set's ``method``."""
    return django_filters.ModelChoiceFilter(
        field_name=path, queryset=visible(Zone), label=_("zone"), distinct=distinct, method=method
    )


def town_filter(
    path: str = "town", *, distinct: bool = False, method: str | None = None
) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=path, queryset=visible(Town), label=_("town"), distinct=distinct, method=method
    )


class ZoneFilterSet(SearchFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Zone
        fields = ()


class TownFilterSet(SearchFilterSet):
    search_fields = ("name",)
    zone = zone_filter()

    class Meta:
        model = Town
        fields = ("zone", "is_demonstration")


class VillageFilterSet(SearchFilterSet):
    search_fields = ("name", "code")
    zone = zone_filter("town__zone")
    town = town_filter()
    paired = django_filters.BooleanFilter(method="filter_paired", label=_("paired"))

    class Meta:
        model = Village
        fields = ("zone", "town", "paired")

    def filter_paired(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return _paired(queryset, value)


def _paired(queryset: QuerySet, value: bool):
    """Villages or enterprises in an active pairing (through the reverse relation: the
    registry does not import the pairing app that sits above it)."""
    paired = queryset.model.objects.filter(pairings__status="active").values("pk")
    return queryset.filter(pk__in=paired) if value else queryset.exclude(pk__in=paired)


class VillageIncomeFilterSet(SearchFilterSet):
    search_fields = ("village__name",)
    town = town_filter("village__town")

    class Meta:
        model = VillageIncome
        fields = ("town", "year")


class VillageGroupFilterSet(SearchFilterSet):
    search_fields = ("name", "village__name")
    village = django_filters.ModelChoiceFilter(queryset=visible(Village), label=_("village"))

    class Meta:
        model = VillageGroup
        fields = ("village",)


class HouseholdFilterSet(SearchFilterSet):
    search_fields = ("number", "head_name", "village__name")
    lookup_fields = ("id_number",)
    town = town_filter("village__town")
    village = django_filters.ModelChoiceFilter(queryset=visible(Village), label=_("village"))

    class Meta:
        model = Household
        fields = ("town", "village", "status", "monitoring_category")


class EnterpriseFilterSet(SearchFilterSet):
    search_fields = ("name", "uscc")
    industry = django_filters.ModelChoiceFilter(queryset=visible(Industry), label=_("industry"))
    paired = django_filters.BooleanFilter(method="filter_paired", label=_("paired"))

    class Meta:
        model = Enterprise
        fields = ("industry", "ownership", "paired")

    def filter_paired(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return _paired(queryset, value)


class PersonFilterSet(SearchFilterSet):
    search_fields = ("name", "title", "organisation")

    class Meta:
        model = Person
        fields = ("kind",)


class ResourceFilterSet(SearchFilterSet):
    search_fields = ("note", "village__name", "enterprise__name")
    kind = django_filters.ModelChoiceFilter(queryset=visible(ResourceKind), label=_("kind"))
    town = town_filter("village__town")

    class Meta:
        model = Resource
        fields = ("kind", "direction", "town")
