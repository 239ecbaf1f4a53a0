from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cunqi.core.split import FEN, split

amounts = st.integers(min_value=0, max_value=10**12).map(lambda fen: Decimal(fen) * FEN)
weights = st.lists(
    st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=40,
).filter(lambda items: sum(items) > 0)


@given(amounts, weights)
def test_parts_sum_exactly_to_the_whole(amount, weights):
    parts = split(amount, weights)
    assert sum(parts, Decimal(0)) == amount
    assert len(parts) == len(weights)


@given(amounts, weights)
def test_each_part_is_within_one_fen_of_its_exact_share(amount, weights):
    total = sum(weights)
    for part, weight in zip(split(amount, weights), weights, strict=True):
        assert part == part.quantize(FEN)
        assert abs(part - amount * weight / total) < FEN


@given(amounts, weights)
def test_deterministic(amount, weights):
    assert split(amount, weights) == split(amount, list(weights))


def test_ties_go_to_the_earlier_part():
    assert split(Decimal("0.01"), [Decimal(1), Decimal(1), Decimal(1)]) == [
        Decimal("0.01"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]
    assert split(Decimal("100.00"), [Decimal(1)] * 3) == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]


def test_the_seed_equity_structure():
    parts = split(Decimal("1000000.00"), [Decimal(10), Decimal(10), Decimal(41), Decimal(39)])
    assert parts == [
        Decimal("100000.00"),
        Decimal("100000.00"),
        Decimal("410000.00"),
        Decimal("390000.00"),
    ]


@pytest.mark.parametrize(
    ("amount", "weights"),
    [
        (Decimal("-1.00"), [Decimal(1)]),
        (Decimal("1.001"), [Decimal(1)]),
        (Decimal("1.00"), []),
        (Decimal("1.00"), [Decimal(0), Decimal(0)]),
        (Decimal("1.00"), [Decimal(1), Decimal(-1)]),
        (Decimal("1.00"), [Decimal("NaN")]),
    ],
)
def test_refuses_what_cannot_be_split(amount, weights):
    with pytest.raises(ValueError):
        split(amount, weights)
