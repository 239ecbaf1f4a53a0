"""Streaming .xlsx files that read, sum, sort and print as they are: typed cells with
number formats, fitted widths, a frozen and filtered header, A4 print setup; text that a
spreadsheet would run as a formula is neutralised."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from tempfile import NamedTemporaryFile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cunqi.core.text import display_width

# A text cell starting with one of these is evaluated as a formula by some spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell value that no spreadsheet will evaluate: risky text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class Percent(Decimal):
    """A rate in percent (12.5 for 12.5%), written as a spreadsheet percentage."""


MONEY_FORMAT, PERCENT_FORMAT, DATE_FORMAT = "#,##0.00", "0.0%", "yyyy-mm-dd"
WIDEST, MEASURED_ROWS = 60, 200


def _cell(sheet: object, value: object) -> WriteOnlyCell:
    """A cell of its own type: numbers as numbers with their format, dates as dates,
    yes/no in the reader's language, text neutralised."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    if isinstance(value, bool):
        return WriteOnlyCell(sheet, value=str(_("yes") if value else _("no")))
    if isinstance(value, Percent):
        cell = WriteOnlyCell(sheet, value=Decimal(value) / 100)
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT if not isinstance(value, datetime) else "yyyy-mm-dd hh:mm"
    elif value is None or isinstance(value, int | float):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        cell = WriteOnlyCell(sheet, value=neutralise(str(value)))
    return cell


def _width(value: object) -> int:
    """Columns wide enough for the text: a Chinese character takes two widths."""
    if isinstance(value, Decimal | float):
        text = f"{value:,.2f}"
    elif isinstance(value, date):
        text = "2026-12-31 00:00" if isinstance(value, datetime) else "2026-12-31"
    else:
        text = str(value if value is not None else "")
    return display_width(text)


def write_sheets(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[object]]]]) -> bytes:
    """Sheets of (title, header, rows), written in constant memory, each ready to print
    and read: a bold header row frozen and filtered, columns fitted to the first rows, A4
    with the header repeated on every page."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        rows = iter(rows)
        first = list(islice(rows, MEASURED_ROWS))
        for index, name in enumerate(header, start=1):
            widest = max((_width(row[index - 1]) for row in first), default=0)
            sheet.column_dimensions[get_column_letter(index)].width = min(
                WIDEST, max(_width(name), widest) + 2
            )
        sheet.freeze_panes = "A2"
        if header:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}1"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape" if len(header) > 6 else "portrait"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        header_cells = []
        for name in header:
            cell = WriteOnlyCell(sheet, value=neutralise(str(name)))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in chain(first, rows):
            sheet.append([_cell(sheet, value) for value in row])
    with NamedTemporaryFile(suffix=".xlsx") as handle:
        workbook.save(handle.name)
        handle.seek(0)
        return handle.read()


def write_rows(title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """One sheet, as ``write_sheets`` writes it."""
    return write_sheets([(title, list(header), rows)])
