"""Shares and amounts as the programme's documents show them: percentages and 万元 rounded
half up (四舍五入), the one rounding rule of every page, card and bulletin (12.25 is 12.3
wherever it appears)."""

from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
WAN = Decimal(10_000)  # 万
TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")


def rounded(value: Decimal, places: Decimal = TENTH) -> Decimal:
    return value.quantize(places, ROUND_HALF_UP)


def percent(
    part: Decimal | int, whole: Decimal | int, places: Decimal | None = TENTH
) -> Decimal | None:
    """``part`` as a percentage of ``whole``, rounded to ``places`` (None: exact); None when
    ``whole`` is zero, where there is no share to show."""
    if not whole:
        return None
    share = HUNDRED * Decimal(part) / Decimal(whole)
    return share if places is None else rounded(share, places)


def in_wan(amount: Decimal, places: Decimal = HUNDREDTH) -> Decimal:
    """Yuan in 万元."""
    return rounded(amount / WAN, places)
