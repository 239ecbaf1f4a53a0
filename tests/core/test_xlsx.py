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


def test_a_sheet_reads_sums_and_prints_as_it_is():
    from datetime import date

    from django.utils import translation

    from cunqi.core.xlsx import Percent

    rows = [["大柳塔镇石角塔村", Decimal("1234567.89"), Percent("12.5"), date(2026, 1, 2), True]]
    with translation.override("zh-hans"):
        content = write_rows("表", ["名称", "金额（元）", "比例", "日期", "已结对"], rows)
    sheet = load_workbook(io.BytesIO(content)).active
    cells = sheet[2]
    assert [cell.number_format for cell in cells[1:4]] == ["#,##0.00", "0.0%", "yyyy-mm-dd"]
    assert (cells[2].value, cells[4].value) == (0.125, "是")  # a yes/no in the reader's words
    assert sheet.column_dimensions["A"].width >= 16  # eight Chinese characters, uncut
    assert (sheet.freeze_panes, sheet.auto_filter.ref, sheet.print_title_rows) == (
        "A2",
        "A1:E1",
        "$1:$1",
    )
    assert sheet.page_setup.paperSize == 9  # A4
