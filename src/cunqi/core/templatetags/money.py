from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def money(value: Decimal | None) -> str:
    """Yuan with thousands separators and two places, the same in every language
    (Chinese number formats in Django do not group digits)."""
    return "—" if value is None else f"{value:,.2f}"
