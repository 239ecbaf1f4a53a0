"""How a list page's rows are written to Excel.

An app that knows a model's exchange layout (``cunqi.exchange``) registers a writer: the
list's export is then the import template's layout, re-importable and several times
faster than rendering the table cell by cell. Other models export the table's columns.
"""

from collections.abc import Callable

from django.db.models import Model, QuerySet

# (model, the rows) → the workbook, or None where the writer has no layout for the model.
Writer = Callable[[type[Model], QuerySet], bytes | None]
_writers: list[Writer] = []


def register_writer(writer: Writer) -> None:
    if writer not in _writers:
        _writers.append(writer)


def registered_workbook(model: type[Model], rows: QuerySet) -> bytes | None:
    for writer in _writers:
        if (content := writer(model, rows)) is not None:
            return content
    return None
