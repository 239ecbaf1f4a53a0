"""Streaming .xlsx export with spreadsheet-formula neutralisation."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from tempfile import NamedTemporaryFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# A text cell starting with one of these is evaluated as a formula by some spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell value that no spreadsheet will evaluate: risky text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _cell_value(value: object) -> object:
    if value is None or isinstance(value, int | float | Decimal | date | datetime | bool):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value
    return neutralise(str(value))


def write_rows(title: str, header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    """One sheet with a bold header row, written in constant memory."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=neutralise(str(name)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell_value(value) for value in row])
    with NamedTemporaryFile(suffix=".xlsx") as handle:
        workbook.save(handle.name)
        handle.seek(0)
        return handle.read()
