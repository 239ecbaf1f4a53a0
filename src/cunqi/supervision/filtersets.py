import django_filters
from django.utils.translation import gettext_lazy as _

from cunqi.core.filters import SearchFilterSet
from cunqi.registry.filtersets import town_filter, zone_filter
from cunqi.supervision.models import Card, MonthlyReport, RuleSetting


class MonthlyReportFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name", "problems")
    zone = zone_filter("project__villages__town__zone", distinct=True)
    town = town_filter("project__villages__town", distinct=True)
    month = django_filters.DateFilter(label=_("month"))

    class Meta:
        model = MonthlyReport
        fields = ("zone", "town", "month", "status")


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
