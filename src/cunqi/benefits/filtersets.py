import django_filters
from django.utils.translation import gettext_lazy as _

from cunqi.benefits.models import (
    Delivery,
    Distribution,
    Employment,
    EquityStructure,
    LandTransfer,
    Order,
    RentPayment,
    VillagerWeight,
)
from cunqi.core.filters import SearchFilterSet, visible
from cunqi.registry.filtersets import town_filter, zone_filter
from cunqi.registry.models import Village


class EquityStructureFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name")
    zone = zone_filter("project__villages__town__zone", distinct=True)
    town = town_filter("project__villages__town", distinct=True)

    class Meta:
        model = EquityStructure
        fields = ("zone", "town", "villagers_rule")


class DistributionFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name")
    zone = zone_filter("project__villages__town__zone", distinct=True)
    town = town_filter("project__villages__town", distinct=True)

    class Meta:
        model = Distribution
        fields = ("zone", "town", "year", "status")


class EmploymentFilterSet(SearchFilterSet):
    search_fields = ("worker_name", "project__name", "household__head_name")
    town = town_filter("project__villages__town", distinct=True)
    village = django_filters.ModelChoiceFilter(
        field_name="household__village", queryset=visible(Village), label=_("village")
    )

    class Meta:
        model = Employment
        fields = ("town", "village")


class LandTransferFilterSet(SearchFilterSet):
    search_fields = ("village__name", "household__head_name", "project__name")
    town = town_filter("village__town")
    village = django_filters.ModelChoiceFilter(queryset=visible(Village), label=_("village"))

    class Meta:
        model = LandTransfer
        fields = ("town", "village", "kind")


class OrderFilterSet(SearchFilterSet):
    search_fields = ("product", "enterprise__name")

    class Meta:
        model = Order
        fields = ()


class DeliveryFilterSet(SearchFilterSet):
    search_fields = ("order__product", "village__name", "household__head_name")
    town = town_filter("village__town")

    class Meta:
        model = Delivery
        fields = ("town",)


class VillagerWeightFilterSet(SearchFilterSet):
    search_fields = ("household__head_name", "structure__project__name")
    structure = django_filters.ModelChoiceFilter(
        queryset=visible(EquityStructure), label=_("equity structure")
    )

    class Meta:
        model = VillagerWeight
        fields = ("structure",)


class RentPaymentFilterSet(SearchFilterSet):
    search_fields = ("transfer__village__name", "transfer__household__head_name", "note")
    town = town_filter("transfer__village__town")

    class Meta:
        model = RentPayment
        fields = ("town", "lease_year")
