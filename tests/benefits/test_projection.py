from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cunqi.benefits.projection import project_income

SEED = [Decimal(10), Decimal(10), Decimal(41), Decimal(39)]


def test_the_seed_structure_over_15_years_then_the_collective_takes_all():
    result = project_income(Decimal("1000000.00"), Decimal(0), 15, 5, SEED, Decimal(0))
    assert result.amounts[0] == [
        Decimal("100000.00"),
        Decimal("100000.00"),
        Decimal("410000.00"),
        Decimal("390000.00"),
    ]
    assert result.amounts[15] == [
        Decimal("1000000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]
    # No discount: NPV is the plain sum.
    assert result.npv == [
        Decimal("6500000.00"),
        Decimal("1500000.00"),
        Decimal("6150000.00"),
        Decimal("5850000.00"),
    ]


def test_discounting_and_growth():
    result = project_income(
        Decimal("100.00"),
        Decimal(10),
        2,
        0,
        [Decimal(100), Decimal(0), Decimal(0), Decimal(0)],
        Decimal(10),
    )
    assert result.profits == [Decimal("100.00"), Decimal("110.00")]
    assert result.npv[0] == Decimal("181.82")  # 100/1.1 + 110/1.21


@given(
    st.integers(min_value=0, max_value=10**9).map(lambda fen: Decimal(fen) / 100),
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=0, max_value=10),
)
def test_every_year_is_split_exactly(profit, income_years, years_after):
    result = project_income(profit, Decimal(3), income_years, years_after, SEED, Decimal(4))
    for year_profit, parts in zip(result.profits, result.amounts, strict=True):
        assert sum(parts) == year_profit


@pytest.mark.parametrize(
    "shares", [[Decimal(50), Decimal(50)], [Decimal(10), Decimal(10), Decimal(41), Decimal(38)]]
)
def test_refuses_a_structure_that_is_not_whole(shares):
    with pytest.raises(ValueError):
        project_income(Decimal(1), Decimal(0), 1, 0, shares, Decimal(0))
