"""The templates and exports: one layout for both, so an export re-imports unchanged.

Row 1 holds the headers (in the reader's language; the import accepts either), row 2 an
example in grey that the import skips, data from row 3. A hidden sheet names the kind, so
that a town's file for households is never read as projects; another hidden sheet holds
the dropdown lists. Every text cell that a spreadsheet would evaluate as a formula is
neutralised (core.xlsx), in the hidden sheets too (reference names are anyone's text).
"""

from collections.abc import Iterable
from tempfile import NamedTemporaryFile

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cunqi.core.personal import Personal, PersonalField
from cunqi.core.xlsx import neutralise
from cunqi.exchange.importer import META_SHEET
from cunqi.exchange.kinds import KINDS, Kind

LISTS_SHEET = "_lists"
DATA_ROWS_VALIDATED = 100_000


def _cell(sheet: Worksheet, value: object, **style: object):
    if isinstance(value, Promise | Personal):
        value = str(value)  # a personal value leaves masked
    cell = WriteOnlyCell(sheet, value=neutralise(value) if isinstance(value, str) else value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def write(kind: Kind, rows: Iterable[list], *, example: bool = True) -> bytes:
    """A workbook of ``kind`` with ``rows`` (lists of cell values, in column order). Row 2
    is the template's example, or left empty (an export of real rows to be sent on)."""
    from django.utils.translation import gettext as _

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(kind.title)[:31])
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta.append([f"cunqi:{kind.code}"])
    list_columns = []
    for index, column in enumerate(kind.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            12, min(40, len(str(column.header)) * 2 + 4)
        )
        if column.choices:
            values = column.choices()
            list_columns.append(values)
            letter = get_column_letter(len(list_columns))
            validation = DataValidation(
                type="list",
                formula1=f"{LISTS_SHEET}!${letter}$1:${letter}${max(1, len(values))}",
                allow_blank=not column.required,
                showErrorMessage=True,
                error=_("Choose a value from the list."),
            )
            validation.add(
                f"{get_column_letter(index)}3:{get_column_letter(index)}{DATA_ROWS_VALIDATED}"
            )
            sheet.data_validations.append(validation)
    for row in range(max((len(values) for values in list_columns), default=0)):
        lists.append(
            [_cell(lists, values[row]) if row < len(values) else None for values in list_columns]
        )
    sheet.freeze_panes = "A3"
    if personal_columns(kind):
        # Marked on every printed page and in the file's properties (PIPL §51).
        mark = _("Contains personal data (masked)")
        sheet.oddHeader.center.text = mark
        workbook.properties.keywords = mark
    header = []
    for column in kind.columns:
        cell = _cell(
            sheet,
            str(column.header),
            font=Font(bold=True, color="C00000" if column.required else "000000"),
        )
        header.append(cell)
    header[0].comment = Comment(
        _("Red headers must be filled. Row 2 is an example and is not imported; write from row 3.")
        if example
        else _("Red headers must be filled. Row 2 is not imported; the rows from row 3 are."),
        "Cunqi",
    )
    sheet.append(header)
    sheet.append(
        [
            _cell(
                sheet,
                column.example() if callable(column.example) else column.example,
                font=Font(italic=True, color="808080"),
            )
            for column in kind.columns
        ]
        if example
        else []
    )
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    with NamedTemporaryFile(suffix=".xlsx") as handle:
        workbook.save(handle.name)
        handle.seek(0)
        return handle.read()


def personal_columns(kind: Kind) -> list[str]:
    return [
        column.field
        for column in kind.columns
        if isinstance(_model_field(kind, column.field), PersonalField)
    ]


def _model_field(kind: Kind, name: str) -> object:
    try:
        return kind.model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def blank(kind: Kind) -> bytes:
    return write(kind, [])


def export_workbook(model: type[Model], queryset: QuerySet) -> bytes | None:
    """A list page's rows in the layout of the model's kind (``core.exports``' writer)."""
    kind = next((kind for kind in KINDS.values() if kind.model is model), None)
    return None if kind is None else write(kind, export_rows(kind, queryset), example=False)


def export_rows(kind: Kind, queryset: QuerySet) -> Iterable[list]:
    """``queryset``'s rows in the template's columns: references as their natural keys,
    choices as their labels, several related rows as one cell joined by 、."""
    many = {f.name for f in kind.model._meta.many_to_many}
    paths = {column.field: kind.exports.get(column.field, column.field) for column in kind.columns}
    single = [column.field for column in kind.columns if column.field not in many]
    labels = {
        column.field: dict(kind.model._meta.get_field(column.field).choices)
        for column in kind.columns
        if column.choices and not column.reference
    }
    if not queryset.query.is_sliced:  # a list's export comes ordered and cut at its cap
        queryset = queryset.order_by("pk")
    rows = queryset.values_list("pk", *(paths[name] for name in single))
    chunk: list[tuple] = []
    for row in rows.iterator(chunk_size=2000):
        chunk.append(row)
        if len(chunk) == 2000:
            yield from _export_chunk(kind, chunk, single, many, paths, labels)
            chunk = []
    yield from _export_chunk(kind, chunk, single, many, paths, labels)


def _export_chunk(
    kind: Kind,
    chunk: list[tuple],
    single: list[str],
    many: set[str],
    paths: dict[str, str],
    labels: dict[str, dict],
) -> Iterable[list]:
    joined: dict[str, dict[int, list[str]]] = {}
    pks = [row[0] for row in chunk]
    for column in kind.columns:
        if column.field in many and pks:
            found = joined[column.field] = {}
            for pk, key in (
                kind.model.objects.filter(pk__in=pks)
                .order_by("pk", paths[column.field])
                .values_list("pk", paths[column.field])
            ):
                if key is not None:
                    found.setdefault(pk, []).append(str(key))
    for row in chunk:
        values = dict(zip(single, row[1:], strict=True))
        yield [
            "、".join(joined[column.field].get(row[0], []))
            if column.field in many
            else str(labels[column.field].get(values[column.field], values[column.field]))
            if column.field in labels
            else values[column.field]
            for column in kind.columns
        ]
