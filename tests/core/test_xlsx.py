"""Exports never hand a spreadsheet a formula to evaluate, and numbers stay numbers."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from cunqi.core.xlsx import FORMULA_TRIGGERS, write_rows


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS)
def test_every_text_a_spreadsheet_would_evaluate_is_neutralised(trigger):
    text = f'{trigger}HYPERLINK("http://evil.example","x")'
    content = write_rows("t", ["name", "amount", "count"], [[text, Decimal("-12.50"), -3]])
    sheet = load_workbook(io.BytesIO(content)).active
    name, amount, count = (cell.value for cell in sheet[2])
    assert name == "'" + text and sheet["A2"].data_type == "s"
    assert amount == -12.5 and sheet["B2"].data_type == "n"
    assert count == -3 and sheet["C2"].data_type == "n"


def test_harmless_text_is_left_alone():
    sheet = load_workbook(io.BytesIO(write_rows("t", ["h"], [["石角塔村 -1"]]))).active
    assert sheet["A2"].value == "石角塔村 -1"
