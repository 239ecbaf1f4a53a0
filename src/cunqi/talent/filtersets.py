from cunqi.core.filters import SearchFilterSet, YearFilter
from cunqi.registry.filtersets import town_filter, zone_filter
from cunqi.talent.models import Advisor, Expert, Service, Training


class ExpertFilterSet(SearchFilterSet):
    search_fields = ("name", "institution", "field")

    class Meta:
        model = Expert
        fields = ()


class AdvisorFilterSet(SearchFilterSet):
    search_fields = ("name", "village__name", "enterprise__name")
    zone = zone_filter("village__town__zone")
    town = town_filter("village__town")

    class Meta:
        model = Advisor
        fields = ("zone", "town")


class ServiceFilterSet(SearchFilterSet):
    search_fields = ("topic", "village__name", "expert__name", "advisor__name")
    zone = zone_filter("village__town__zone")
    town = town_filter("village__town")
    year = YearFilter(field_name="held_on__year")

    class Meta:
        model = Service
        fields = ("zone", "town", "kind", "year")


class TrainingFilterSet(SearchFilterSet):
    search_fields = ("topic", "village__name", "trainer")
    zone = zone_filter("village__town__zone")
    town = town_filter("village__town")
    year = YearFilter(field_name="held_on__year")

    class Meta:
        model = Training
        fields = ("zone", "town", "year")
