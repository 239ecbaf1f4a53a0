import django_tables2 as tables
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
from cunqi.core.tables import MoneyColumn, ObjectTable


class EquityStructureTable(ObjectTable):
    project = tables.Column(linkify=lambda record: record.get_absolute_url())
    valid_from = tables.DateColumn(format="Y-m-d")
    stakes = tables.Column(verbose_name=_("stakes"), accessor="pk", orderable=False)
    is_complete = tables.BooleanColumn()

    class Meta(ObjectTable.Meta):
        model = EquityStructure
        fields = ("project", "valid_from", "stakes", "villagers_rule", "is_complete")

    def render_stakes(self, record: EquityStructure) -> str:
        return " + ".join(
            f"{stake.get_holder_display()} {stake.share.normalize():f}%"
            for stake in record.stakes.all()
        )


class DistributionTable(ObjectTable):
    project = tables.Column(linkify=lambda record: record.get_absolute_url())
    profit = MoneyColumn()

    class Meta(ObjectTable.Meta):
        model = Distribution
        fields = ("project", "year", "profit", "status", "prepared_by", "approved_by", "posted_at")


class EmploymentTable(ObjectTable):
    worker_name = tables.Column(linkify=lambda record: record.get_absolute_url())
    project = tables.Column(linkify=True)
    monthly_wage = MoneyColumn()
    start_month = tables.DateColumn(format="Y-m")
    end_month = tables.DateColumn(format="Y-m")

    class Meta(ObjectTable.Meta):
        model = Employment
        fields = (
            "worker_name",
            "project",
            "household",
            "role",
            "monthly_wage",
            "start_month",
            "end_month",
        )


class LandTransferTable(ObjectTable):
    village = tables.Column(linkify=lambda record: record.get_absolute_url())
    project = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = LandTransfer
        fields = (
            "village",
            "household",
            "kind",
            "area",
            "rent_per_mu",
            "start_date",
            "end_date",
            "project",
        )


class OrderTable(ObjectTable):
    product = tables.Column(linkify=lambda record: record.get_absolute_url())
    enterprise = tables.Column(linkify=True)
    unit_price = MoneyColumn()

    class Meta(ObjectTable.Meta):
        model = Order
        fields = (
            "product",
            "enterprise",
            "quantity",
            "unit",
            "unit_price",
            "season_start",
            "season_end",
        )


class DeliveryTable(ObjectTable):
    delivered_on = tables.DateColumn(
        format="Y-m-d", linkify=lambda record: record.get_absolute_url()
    )
    village = tables.Column(linkify=True)
    amount_due = MoneyColumn(verbose_name=_("due (yuan)"), orderable=False)
    amount_paid = MoneyColumn()

    class Meta(ObjectTable.Meta):
        model = Delivery
        fields = (
            "delivered_on",
            "order",
            "village",
            "household",
            "quantity",
            "amount_due",
            "amount_paid",
        )


class VillagerWeightTable(ObjectTable):
    household = tables.Column(linkify=lambda record: record.get_absolute_url())
    structure = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = VillagerWeight
        fields = ("household", "structure", "weight")


class RentPaymentTable(ObjectTable):
    paid_on = tables.DateColumn(format="Y-m-d", linkify=lambda record: record.get_absolute_url())
    transfer = tables.Column(linkify=True)
    amount = MoneyColumn()

    class Meta(ObjectTable.Meta):
        model = RentPayment
        fields = ("paid_on", "transfer", "lease_year", "amount", "note")
