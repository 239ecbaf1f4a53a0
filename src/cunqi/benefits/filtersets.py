import django_filters
from django.utils.translation import gettext_lazy as _

from cunqi.benefits.models import Distribution, EquityStructure
from cunqi.core.filters import SearchFilterSet, visible
from cunqi.registry.models import Town, Zone


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
