"""The annual comprehensive evaluation (年度综合评价), over plain figures (no database).

Each indicator's raw value per subject (a town, say) becomes a score out of 100: a rate
is already one (capped at 100); a quantity scores against the best subject (the best gets
100); a penalty loses points per occurrence. The total is the weighted sum of the scores
(weights in percent, summing to 100), graded by thresholds; every total can be explained
indicator by indicator.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Indicator:
    code: str
    kind: str  # "rate" (0–100), "relative" (against the best), "penalty" (points per unit)
    weight: Decimal  # percent
    points_per_unit: Decimal = Decimal(10)  # for penalties


@dataclass(frozen=True)
class Part:
    raw: Decimal
    score: Decimal  # out of 100
    weighted: Decimal  # its share of the total


@dataclass(frozen=True)
class Result:
    subject: object
    total: Decimal
    parts: dict[str, Part]
    rank: int
    grade: str


class WeightsDoNotSum(ValueError):
    def __init__(self, total: Decimal) -> None:
        super().__init__(f"weights sum to {total}%, not 100%")
        self.total = total


def check_weights(indicators: Sequence[Indicator]) -> None:
    total = sum((indicator.weight for indicator in indicators), Decimal(0))
    if total != HUNDRED or any(indicator.weight < 0 for indicator in indicators):
        raise WeightsDoNotSum(total)


def _score(indicator: Indicator, raw: Decimal, best: Decimal) -> Decimal:
    if indicator.kind == "rate":
        return min(max(raw, Decimal(0)), HUNDRED)
    if indicator.kind == "relative":
        return (HUNDRED * raw / best) if best > 0 else Decimal(0)
    return max(HUNDRED - indicator.points_per_unit * raw, Decimal(0))


def grade(total: Decimal, thresholds: Sequence[tuple[Decimal, str]]) -> str:
    """The first grade whose threshold ``total`` reaches (thresholds from the highest)."""
    for threshold, name in sorted(thresholds, key=lambda item: -item[0]):
        if total >= threshold:
            return name
    return thresholds[-1][1] if thresholds else ""


def evaluate(
    raw: Mapping[object, Mapping[str, Decimal]],
    indicators: Sequence[Indicator],
    thresholds: Sequence[tuple[Decimal, str]],
) -> list[Result]:
    """Ranked results, best first (equal totals share a rank; ties listed in input order)."""
    check_weights(indicators)
    best = {
        indicator.code: max(
            (values.get(indicator.code, Decimal(0)) for values in raw.values()), default=Decimal(0)
        )
        for indicator in indicators
    }
    unranked = []
    for subject, values in raw.items():
        parts = {}
        for indicator in indicators:
            value = Decimal(values.get(indicator.code, 0))
            score = _score(indicator, value, best[indicator.code]).quantize(TENTH, ROUND_HALF_UP)
            parts[indicator.code] = Part(
                value,
                score,
                (score * indicator.weight / HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP),
            )
        total = sum((part.weighted for part in parts.values()), Decimal(0))
        unranked.append((subject, total, parts))
    unranked.sort(key=lambda item: -item[1])
    results, rank, previous = [], 0, None
    for position, (subject, total, parts) in enumerate(unranked, start=1):
        if total != previous:
            rank, previous = position, total
        results.append(Result(subject, total, parts, rank, grade(total, thresholds)))
    return results
