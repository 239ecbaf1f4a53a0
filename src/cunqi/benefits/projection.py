"""What each party of a project earns year by year, and its net present value (no database).

During the income period the profit is split by the equity structure; after the
handover the assets belong to the village collective, which then receives all of it.
Each year's split is exact to the fen (largest remainder); NPV discounts year t by
(1 + rate)^t and is rounded to the fen.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cunqi.core.split import FEN, split

HOLDERS = ("village_collective", "village_group", "enterprise", "villagers")
COLLECTIVE = 0


@dataclass(frozen=True)
class Projection:
    profits: list[Decimal]  # year 1 first
    amounts: list[list[Decimal]]  # per year, per holder in HOLDERS order
    npv: list[Decimal]  # per holder

    @property
    def npv_total(self) -> Decimal:
        return sum(self.npv, Decimal(0))


def project_income(
    annual_profit: Decimal,
    growth_percent: Decimal,
    income_years: int,
    years_after: int,
    shares: Sequence[Decimal],
    discount_percent: Decimal,
) -> Projection:
    """``shares`` are percentages in HOLDERS order summing to 100."""
    if len(shares) != len(HOLDERS) or sum(shares, Decimal(0)) != 100:
        raise ValueError("four shares summing to 100 are needed")
    if annual_profit < 0 or income_years < 1 or years_after < 0:
        raise ValueError("profit, income period and years after must not be negative")
    growth = 1 + growth_percent / 100
    rate = 1 + discount_percent / 100
    profits, amounts = [], []
    npv = [Decimal(0)] * len(HOLDERS)
    for year in range(1, income_years + years_after + 1):
        profit = (annual_profit * growth ** (year - 1)).quantize(FEN, ROUND_HALF_UP)
        if year <= income_years:
            parts = split(profit, shares) if profit else [Decimal("0.00")] * len(HOLDERS)
        else:
            parts = [
                profit if index == COLLECTIVE else Decimal("0.00") for index in range(len(HOLDERS))
            ]
        profits.append(profit)
        amounts.append(parts)
        npv = [total + part / rate**year for total, part in zip(npv, parts, strict=True)]
    return Projection(profits, amounts, [value.quantize(FEN, ROUND_HALF_UP) for value in npv])
