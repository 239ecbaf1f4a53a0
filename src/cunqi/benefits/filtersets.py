import django_filters
from django.utils.translation import gettext_lazy as _

from cunqi.benefits.models import Distribution, Employment, EquityStructure, LandTransfer
from cunqi.core.filters import SearchFilterSet, visible
from cunqi.registry.models import Town, Village, Zone


class EquityStructureFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name")
    zone = django_filters.ModelChoiceFilter(
        field_name="project__villages__town__zone",
        queryset=visible(Zone),
        label=_("zone"),
        distinct=True,
    )
    town = django_filters.ModelChoiceFilter(
        field_name="project__villages__town", queryset=visible(Town), label=_("town"), distinct=True
    )

    class Meta:
        model = EquityStructure
        fields = ("zone", "town", "villagers_rule")


class DistributionFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name")
    zone = django_filters.ModelChoiceFilter(
        field_name="project__villages__town__zone",
        queryset=visible(Zone),
        label=_("zone"),
        distinct=True,
    )
    town = django_filters.ModelChoiceFilter(
        field_name="project__villages__town", queryset=visible(Town), label=_("town"), distinct=True
    )

    class Meta:
        model = Distribution
        fields = ("zone", "town", "year", "status")


class EmploymentFilterSet(SearchFilterSet):
    search_fields = ("worker_name", "project__name", "household__head_name")
    town = django_filters.ModelChoiceFilter(
        field_name="project__villages__town", queryset=visible(Town), label=_("town"), distinct=True
    )
    village = django_filters.ModelChoiceFilter(
        field_name="household__village", queryset=visible(Village), label=_("village")
    )

    class Meta:
        model = Employment
        fields = ("town", "village")


class LandTransferFilterSet(SearchFilterSet):
    search_fields = ("village__name", "household__head_name", "project__name")
    town = django_filters.ModelChoiceFilter(
        field_name="village__town", queryset=visible(Town), label=_("town")
    )
    village = django_filters.ModelChoiceFilter(queryset=visible(Village), label=_("village"))

    class Meta:
        model = LandTransfer
        fields = ("town", "village", "kind")
