from decimal import Decimal

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class ObjectTable(tables.Table):
    """The base of every list's table: the first column links to the row's page."""

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped table-stack"}
        empty_text = _("Nothing matches.")
        template_name = "core/table.html"


class MoneyColumn(tables.Column):
    attrs = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}

    def render(self, value: Decimal) -> str:
        return f"{value:,.2f}"

    def value(self, value: Decimal) -> Decimal:
        return value
