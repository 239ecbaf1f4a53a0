import django_filters
from django.utils.translation import gettext_lazy as _

from cunqi.core.filters import SearchFilterSet, YearFilter, visible
from cunqi.core.models import Department
from cunqi.funds.models import Allocation, Disbursement, FundBudget, FundSource, Policy
from cunqi.registry.filtersets import town_filter


def department_filter(path: str):
    return django_filters.ModelChoiceFilter(
        field_name=path, queryset=visible(Department), label=_("department")
    )


class FundSourceFilterSet(SearchFilterSet):
    search_fields = ("name",)

    class Meta:
        model = FundSource
        fields = ("kind", "level", "department")


class FundBudgetFilterSet(SearchFilterSet):
    search_fields = ("source__name",)
    department = department_filter("source__department")

    class Meta:
        model = FundBudget
        fields = ("year", "source", "department")


class AllocationFilterSet(SearchFilterSet):
    search_fields = ("project__code", "project__name", "budget__source__name", "purpose")
    town = town_filter("project__villages__town", distinct=True)
    year = YearFilter(field_name="budget__year")
    department = department_filter("budget__source__department")

    class Meta:
        model = Allocation
        fields = ("town", "year", "department")


class DisbursementFilterSet(SearchFilterSet):
    search_fields = ("allocation__project__name", "voucher")
    town = town_filter("allocation__project__villages__town", distinct=True)
    department = department_filter("allocation__budget__source__department")

    class Meta:
        model = Disbursement
        fields = ("town", "department", "status")


class PolicyFilterSet(SearchFilterSet):
    search_fields = ("title", "issuer", "document_number", "supports")

    class Meta:
        model = Policy
        fields = ("fund_source", "demonstration_only")
