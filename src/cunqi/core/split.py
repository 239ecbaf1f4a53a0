"""Split money to the fen so that the parts always add up to the whole.

The largest-remainder method: every part first gets its proportional share rounded down
to the fen; the fen left over go one each to the parts with the largest remainders, ties
going to the earlier part. Each part is then within one fen of its exact share.
"""

from collections.abc import Sequence
from decimal import Decimal

FEN = Decimal("0.01")


def split(amount: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``amount`` (a non-negative multiple of a fen) in parts proportional to ``weights``.

    Weights are non-negative and not all zero. The parts sum exactly to ``amount``.
    """
    if amount < 0 or amount != amount.quantize(FEN):
        raise ValueError("amount must be a non-negative number of fen")
    if not weights:
        raise ValueError("at least one weight is needed")
    if any(not weight.is_finite() or weight < 0 for weight in weights):
        raise ValueError("weights must be finite and not negative")
    total_weight = sum(weights, Decimal(0))
    if total_weight == 0:
        raise ValueError("weights must not all be zero")

    fen = int(amount / FEN)
    # Exact integer arithmetic: scale the weights to integers so no rounding creeps in.
    exponent = min(min(weight.as_tuple().exponent for weight in weights), 0)
    scale = Decimal(10) ** -exponent
    integer_weights = [int(weight * scale) for weight in weights]
    integer_total = sum(integer_weights)

    floors = []
    remainders = []
    for weight in integer_weights:
        share, remainder = divmod(fen * weight, integer_total)
        floors.append(share)
        remainders.append(remainder)
    leftover = fen - sum(floors)
    by_remainder = sorted(range(len(weights)), key=lambda index: (-remainders[index], index))
    for index in by_remainder[:leftover]:
        floors[index] += 1
    return [Decimal(part) * FEN for part in floors]
