"""A report's one figure over the planned sources: exact to the fen, no database."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cunqi.projects.investment import split_by_plan

SOURCES = ("department", "enterprise", "higher_level", "other", "village")
fen = st.integers(min_value=0, max_value=10**11).map(lambda n: Decimal(n) / 100)


def test_the_parts_follow_the_plan_and_the_fen_left_goes_to_the_largest_remainder():
    parts = split_by_plan(
        Decimal("100000.01"),
        {"village": Decimal("40000"), "enterprise": Decimal("60000"), "other": Decimal("0")},
        unplanned="other",
    )
    assert parts == {"enterprise": Decimal("60000.01"), "village": Decimal("40000.00")}


def test_nothing_planned_puts_all_of_it_on_the_unplanned_source():
    assert split_by_plan(Decimal("7.00"), {"village": Decimal(0)}, unplanned="other") == {
        "other": Decimal("7.00")
    }


@given(fen, st.dictionaries(st.sampled_from(SOURCES), fen))
def test_the_parts_always_sum_to_the_figure(amount, planned):
    parts = split_by_plan(amount, planned, unplanned="other")
    assert sum(parts.values(), Decimal(0)) == amount
    assert all(part >= 0 for part in parts.values())
