"""Reading cells: every kind of value a spreadsheet gives, and a message for each wrong one."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cunqi.exchange import cells
from cunqi.exchange.cells import CellError


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1,234.50", Decimal("1234.50")),
        (0.1, Decimal("0.10")),
        (320000, Decimal("320000.00")),
        (12345678901.23, Decimal("12345678901.23")),
        (None, None),
        ("", None),
    ],
)
def test_money_reads_what_spreadsheets_store(raw, value):
    assert cells.money()(raw) == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [("1.005", "two decimal places"), ("abc", "not a number"), ("-1", "below 0"), ("NaN", "two")],
)
def test_money_refuses_with_a_reason(raw, message):
    with pytest.raises(CellError, match=message):
        cells.money()(raw)


@given(st.decimals(min_value=0, max_value=10**11, places=2))
def test_money_written_as_a_float_reads_back_exactly(amount):
    assert cells.money()(float(amount)) == amount


def test_codes_typed_as_numbers_keep_their_digits():
    assert cells.text(12)(610881100201.0) == "610881100201"
    with pytest.raises(CellError, match="At most 3"):
        cells.text(3)("abcd")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2026-03", date(2026, 3, 1)),
        ("2026/3", date(2026, 3, 1)),
        (datetime(2026, 3, 17), date(2026, 3, 1)),
        ("2026-03-17", date(2026, 3, 1)),
    ],
)
def test_months(raw, value):
    assert cells.month(raw) == value


def test_dates_integers_booleans_and_choices():
    assert cells.day("2026/03/17") == date(2026, 3, 17)
    with pytest.raises(CellError, match="not a date"):
        cells.day("17.3.")
    assert cells.integer(1, 99)("4") == 4
    with pytest.raises(CellError, match="whole number"):
        cells.integer()("4.5")
    with pytest.raises(CellError, match="at most 99"):
        cells.integer(1, 99)(100)
    assert cells.boolean("是") is True and cells.boolean("No") is False
    pick = cells.choice({"企业": "enterprise", "Enterprise": "enterprise"})
    assert pick("enterprise") == "enterprise"
    with pytest.raises(CellError, match="not one of the choices"):
        pick("bank")
