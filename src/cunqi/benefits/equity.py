"""Rules for equity shares, over plain numbers (no database)."""

from collections.abc import Sequence
from decimal import Decimal

HUNDRED = Decimal(100)


def shares_problem(shares: Sequence[Decimal]) -> str | None:
    """Why ``shares`` (percentages) cannot make a structure, or None: 'empty', 'range', 'sum'."""
    if not shares:
        return "empty"
    if any(share <= 0 or share > HUNDRED for share in shares):
        return "range"
    if sum(shares, Decimal(0)) != HUNDRED:
        return "sum"
    return None
