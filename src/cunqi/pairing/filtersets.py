import django_filters
from django.utils.translation import gettext_lazy as _

from cunqi.core.filters import SearchFilterSet, visible
from cunqi.core.models import Industry
from cunqi.pairing.models import MatchingRun, Pairing, Recommendation
from cunqi.registry.filtersets import town_filter, zone_filter


class PairingFilterSet(SearchFilterSet):
    search_fields = ("village__name", "enterprise__name", "leader__name")
    zone = zone_filter("village__town__zone")
    town = town_filter("village__town")
    industry = django_filters.ModelChoiceFilter(
        field_name="enterprise__industry", queryset=visible(Industry), label=_("industry")
    )
    has_leader = django_filters.BooleanFilter(
        field_name="leader", lookup_expr="isnull", exclude=True, label=_("has a city leader")
    )

    class Meta:
        model = Pairing
        fields = ("zone", "town", "industry", "status", "leader", "has_leader")


class MatchingRunFilterSet(SearchFilterSet):
    search_fields = ("zone__name", "town__name", "message")

    class Meta:
        model = MatchingRun
        fields = ("status",)


class RecommendationFilterSet(SearchFilterSet):
    search_fields = ("village__name", "enterprise__name", "reason")
    run = django_filters.NumberFilter(field_name="run", label=_("matching run"))

    class Meta:
        model = Recommendation
        fields = ("run", "decision")
