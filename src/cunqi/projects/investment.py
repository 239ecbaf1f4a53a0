"""A month's completed investment, as a monthly report states it, over the sources of
funds: the report gives one figure, the plan says where the money comes from."""

from collections.abc import Mapping
from decimal import Decimal

from cunqi.core.split import split


def split_by_plan(
    amount: Decimal, planned: Mapping[str, Decimal], *, unplanned: str
) -> dict[str, Decimal]:
    """``amount`` over the sources in proportion to ``planned`` (source → planned yuan),
    exact to the fen; all of it to ``unplanned`` when nothing is planned."""
    weights = {source: value for source, value in sorted(planned.items()) if value > 0}
    if not weights:
        return {unplanned: amount}
    return dict(zip(weights, split(amount, list(weights.values())), strict=True))
