from decimal import Decimal

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _


class ObjectTable(tables.Table):
    """The base of every list's table: the first column links to the row's page."""

    class Meta:
        attrs = {"class": "table table-vcenter card-table table-striped table-stack"}
        empty_text = _("Nothing matches.")
        template_name = "core/table.html"


def sort_options(table: tables.Table) -> list[tuple[str, str]]:
    """The orders a phone offers in a select, where a table's headers are hidden: each
    sortable column up and down (the values django-tables2 reads from ``sort``)."""
    options = []
    for column in table.columns:
        if column.orderable:
            options.append((column.name, _("%(column)s, ascending") % {"column": column.header}))
            options.append(
                (f"-{column.name}", _("%(column)s, descending") % {"column": column.header})
            )
    return options


class MoneyColumn(tables.Column):
    attrs = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}

    def render(self, value: Decimal) -> str:
        return f"{value:,.2f}"

    def value(self, value: Decimal) -> Decimal:
        return value
