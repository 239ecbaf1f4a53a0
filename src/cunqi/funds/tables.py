import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from cunqi.core.tables import MoneyColumn, ObjectTable
from cunqi.funds.models import Allocation, Disbursement, FundBudget, FundSource, Policy


class FundSourceTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = FundSource
        fields = ("name", "kind", "level", "department", "requires_library")


class FundBudgetTable(ObjectTable):
    source = tables.Column(linkify=lambda record: record.get_absolute_url())
    amount = MoneyColumn()
    allocated = MoneyColumn()
    remaining = MoneyColumn(verbose_name=_("left (yuan)"), orderable=False)

    class Meta(ObjectTable.Meta):
        model = FundBudget
        fields = ("source", "year", "amount", "allocated", "remaining")


class AllocationTable(ObjectTable):
    budget = tables.Column(linkify=lambda record: record.get_absolute_url())
    project = tables.Column(linkify=True)
    amount = MoneyColumn()
    disbursed = MoneyColumn()

    class Meta(ObjectTable.Meta):
        model = Allocation
        fields = ("budget", "project", "allocated_on", "amount", "disbursed", "purpose")


class DisbursementTable(ObjectTable):
    allocation = tables.Column(linkify=lambda record: record.get_absolute_url())
    amount = MoneyColumn()

    class Meta(ObjectTable.Meta):
        model = Disbursement
        fields = ("allocation", "paid_on", "amount", "voucher", "status")


class PolicyTable(ObjectTable):
    title = tables.Column(linkify=True)
    fund_source = tables.Column(linkify=True)
    min_investment = MoneyColumn()

    class Meta(ObjectTable.Meta):
        model = Policy
        fields = (
            "title",
            "issuer",
            "issued_on",
            "valid_until",
            "fund_source",
            "min_investment",
            "demonstration_only",
        )
