"""Amounts of money as a reader takes them, in their language: Chinese counts in 万 and 亿
(68.8万元, 7.7亿元), English in thousands and millions ("688,000 yuan", "770 million
yuan"). Babel's compact number formats do the counting; nothing here divides by hand.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

import cn2an
from babel.numbers import format_compact_decimal, format_decimal
from django.utils.translation import get_language

from cunqi.core import ratios

FIGURE_AND_UNIT = re.compile(r"(-?[\d.,]+)\s*(.*)")


def _english() -> bool:
    return (get_language() or "").startswith("en")


def headline(amount: Decimal, places: int = 2) -> tuple[str, str]:
    """(figure, unit) for a headline, e.g. ("7.7", "亿元") or ("770", "million yuan")."""
    if _english():
        if abs(amount) < 1_000_000:
            whole = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
            return format_decimal(whole, locale="en"), "yuan"
        text = format_compact_decimal(
            amount, format_type="long", locale="en", fraction_digits=places
        )
        figure, unit = FIGURE_AND_UNIT.fullmatch(text).groups()
        return figure, f"{unit} yuan"
    if abs(amount) < 10_000:
        return format_decimal(amount, format="#,##0.00", locale="zh_Hans_CN"), "元"
    text = format_compact_decimal(amount, locale="zh_Hans_CN", fraction_digits=places)
    figure, unit = FIGURE_AND_UNIT.fullmatch(text).groups()
    return figure, f"{unit}元"


def amount(amount: Decimal) -> str:
    """An amount inside a sentence: in 万元 with two places in Chinese, as an office's
    documents state money (77,550.90万元); in English as a headline reads it."""
    if _english():
        return " ".join(headline(amount))
    return f"{ratios.in_wan(amount):,}万元"


def capitals(amount: Decimal) -> str:
    """An amount in capitals (大写金额) as banks and receipts write it, e.g.
    人民币壹万贰仟叁佰肆拾伍元陆角柒分, 人民币壹佰元整; the same in either language,
    because it is the Chinese form of record."""
    return "人民币" + cn2an.an2cn(f"{amount.quantize(Decimal('0.01'))}", "rmb")
