"""A year's distributable profit in payouts, over plain numbers (no database).

The profit is split across the stakes by their shares, and each villagers' pool across
its village's households by their weights (members, or one each), both with the
largest-remainder split: every part is exact to the fen and the parts sum to the whole.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from cunqi.core.split import split


@dataclass(frozen=True)
class StakeShare:
    stake_id: int
    share: Decimal  # percent
    is_villagers_pool: bool


@dataclass(frozen=True)
class PayoutLine:
    stake_id: int
    household_id: int | None
    amount: Decimal


class NoHouseholds(ValueError):
    """A villagers' pool has no households to be paid to."""

    def __init__(self, stake_id: int) -> None:
        super().__init__(stake_id)
        self.stake_id = stake_id


def allocate(
    profit: Decimal,
    stakes: Sequence[StakeShare],
    households: Mapping[int, Sequence[tuple[int, Decimal]]],
) -> list[PayoutLine]:
    """Payout lines for ``profit``; ``households`` maps a villagers' stake to its
    (household id, weight) pairs, in a stable order."""
    lines: list[PayoutLine] = []
    for stake, amount in zip(stakes, split(profit, [stake.share for stake in stakes]), strict=True):
        if not stake.is_villagers_pool:
            lines.append(PayoutLine(stake.stake_id, None, amount))
            continue
        members = households.get(stake.stake_id, ())
        if not members or not any(weight > 0 for _household, weight in members):
            raise NoHouseholds(stake.stake_id)
        parts = split(amount, [weight for _household, weight in members])
        lines.extend(
            PayoutLine(stake.stake_id, household, part)
            for (household, _weight), part in zip(members, parts, strict=True)
        )
    return lines
