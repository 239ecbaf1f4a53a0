"""Importing a filled template: every row checked, then all of it written or none.

The importer is one more door to the same rows: it parses each row (types, references
among the rows the user may use, duplicates in the file) and hands the rows, a batch at a
time, to their model's door (``core.doors``), which checks them exactly as for a page or
the API (role, scope, state, fields the role may not set, every model rule) and, when
committing, writes them with field-by-field history. All of it happens in one
transaction, rolled back whole if any row is wrong; the pass goes on after an error so
that every error is named. Memory grows with one batch and the file's natural keys, not
with the file.

A model whose rules depend on the rows saved before it (land transfers: a village's land
can be leased only once at a time) has a door that saves rows one by one, in the dry run
too, inside the same rolled-back transaction.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from defusedxml import DefusedXmlException
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook

from cunqi.core import uploads
from cunqi.core.bulk import chunks
from cunqi.core.doors import door
from cunqi.core.permissions import allows
from cunqi.core.security import log_event
from cunqi.exchange.cells import CellError, Column
from cunqi.exchange.kinds import Kind

if TYPE_CHECKING:
    from django.core.files.base import File
    from django.db.models import Model

    from cunqi.accounts.models import User

META_SHEET = "_cunqi"
HEADER_ROW, FIRST_DATA_ROW = 1, 3  # row 2 is the template's example
BATCH = 2000
MAX_ERRORS_KEPT = 1000
MAX_ROWS = 200_000  # data rows in one file (as many as a list page exports)
MAX_COLUMNS = 100  # header cells looked at (a template has a dozen)
IN_CHUNK = 500  # values per IN (…) list: SQLite limits a statement's parameters


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number, as the user sees it
    column: str  # the column's header, or "" for the whole row
    message: str


@dataclass
class Outcome:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    committed: bool = False

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class WrongFile(ValueError):
    """Not a readable workbook, or not this kind's template: nothing to report per row."""


def _open(source: object) -> object:
    try:
        return load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise WrongFile(_("The file is not an Excel workbook (.xlsx) that can be read.")) from error


def check_file(upload: File) -> None:
    """The upload checks of every file (size, type by content, zip bomb, macros)."""
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise ValidationError(_("Upload the template as an .xlsx workbook."), code="file_type")
    uploads.validate_upload(upload)


def _rows(source: Callable[[], object], kind: Kind) -> Iterator[tuple[int, dict]]:
    """(row number, {field: raw value}) for each non-empty data row of ``kind``'s sheet;
    ``source()`` opens the file, which is closed when the rows end."""
    with source() as handle:
        yield from _sheet_rows(handle, kind)


def _sheet_rows(handle: object, kind: Kind) -> Iterator[tuple[int, dict]]:
    workbook = _open(handle)
    try:
        yield from _read_sheet(workbook, kind)
    except DefusedXmlException as error:  # sheets are parsed as they are read
        raise WrongFile(_("The file is not an Excel workbook (.xlsx) that can be read.")) from error
    finally:
        workbook.close()


def _read_sheet(workbook: OpenpyxlWorkbook, kind: Kind) -> Iterator[tuple[int, dict]]:
    sheet = _data_sheet(workbook, kind)
    # A sheet's declared size is the file's word, not a fact: a 1.5 KB file may claim
    # 50,000 × 16,384 cells, which the reader would pad every row to. Read what is there.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, ())
    positions = _positions(header[:MAX_COLUMNS], kind)
    for number, row in enumerate(rows, start=HEADER_ROW + 1):
        if number > MAX_ROWS + HEADER_ROW:
            raise WrongFile(
                _("The sheet has more than %(count)s rows: split it into several files.")
                % {"count": f"{MAX_ROWS:,}"}
            )
        if number < FIRST_DATA_ROW:
            continue  # the example row
        if not any(value not in (None, "") for value in row):
            continue
        yield (
            number,
            {
                field_name: row[index] if index < len(row) else None
                for field_name, index in positions.items()
            },
        )


def _data_sheet(workbook: OpenpyxlWorkbook, kind: Kind):
    if META_SHEET in workbook.sheetnames:
        meta = next(workbook[META_SHEET].iter_rows(values_only=True), (None,))[0]
        if meta and meta != f"cunqi:{kind.code}":
            raise WrongFile(
                _("This is the template for “%(other)s”, not for “%(kind)s”.")
                % {"other": str(meta).removeprefix("cunqi:"), "kind": kind.title}
            )
    return workbook.worksheets[0]


def _positions(header: Sequence, kind: Kind) -> dict[str, int]:
    """Where each column is, by its header in either language."""
    found = {}
    names = [str(value).strip() if value is not None else "" for value in header]
    for column in kind.columns:
        labels = set()
        for language in ("zh-hans", "en"):
            with translation.override(language):
                labels.add(str(column.header))
        for index, name in enumerate(names):
            if name in labels:
                found[column.field] = index
                break
        else:
            if column.required:
                raise WrongFile(
                    _("The column “%(column)s” is missing: download the template for %(kind)s.")
                    % {"column": column.header, "kind": kind.title}
                )
    return found


def _parse(kind: Kind, number: int, raw: dict, lookups: dict, outcome: Outcome) -> dict | None:
    """A row's model values, or None after adding its errors to ``outcome``."""
    values, failed = {}, False
    for column in kind.columns:
        if column.field not in raw:
            continue
        try:
            value = column.parse(raw[column.field])
            if value in (None, "") and column.required:
                raise CellError(_("This column must be filled."))
            if column.reference and isinstance(value, list):
                values[column.field] = [_resolve(lookups, column, item) for item in value]
                if column.required and not value:
                    raise CellError(_("This column must be filled."))
                continue
            if column.reference:
                empty = value in (None, "")
                values[f"{column.field}_id"] = None if empty else _resolve(lookups, column, value)
                continue
            if value is None and not column.required:
                value = _default(kind, column.field)
            model_field = _model_field(kind, column.field)
            if model_field is not None and value not in (None, ""):
                model_field.run_validators(value)
            values[column.field] = value
        except CellError as error:
            outcome.add(RowError(number, str(column.header), str(error)))
            failed = True
        except ValidationError as error:
            outcome.add(RowError(number, str(column.header), " ".join(error.messages)))
            failed = True
    if failed:
        return None
    if kind.check:
        problems = kind.check(values, lookups)
        for field_name, message in problems:
            header = next((str(c.header) for c in kind.columns if c.field == field_name), "")
            outcome.add(RowError(number, header, message))
        if problems:
            return None
    return values


def _resolve(lookups: dict, column: Column, value: object) -> int:
    pk = lookups[column.reference].get(str(value))
    if pk is None:
        raise CellError(
            _("“%(value)s” is not found among the rows you may use.") % {"value": value}
        )
    return pk


def _model_field(kind: Kind, name: str):
    try:
        return kind.model._meta.get_field(name)
    except FieldDoesNotExist:  # a template column that is not a model field
        return None


def _default(kind: Kind, name: str):
    model_field = _model_field(kind, name)
    if model_field is not None and model_field.has_default():
        return model_field.get_default()
    return "" if model_field is not None and not model_field.null else None


def _key(kind: Kind, values: dict) -> tuple:
    return tuple(values.get(f"{name}_id", values.get(name)) for name in kind.key)


def _key_fields(kind: Kind) -> list[str]:
    return [
        f"{name}_id" if kind.model._meta.get_field(name).is_relation else name for name in kind.key
    ]


def _writable_keys(kind: Kind, keys: set[tuple], user: User) -> dict[tuple, int]:
    """The keys already in the database among the rows the user may change (→ pk). A
    key of a row outside their scope is not told apart from a new one: the row's door
    answers it as the page would (its uniqueness), never with what the row holds."""
    if not keys:
        return {}
    fields = _key_fields(kind)
    # Narrow the query by the key's first part, then match whole keys in Python.
    first = sorted({key[0] for key in keys}, key=str)
    mine = {}
    for part in chunks(first, IN_CHUNK):
        rows = (
            kind.model.objects.editable_by(user)
            .filter(**{f"{fields[0]}__in": part})
            .values_list(*fields, "pk")
        )
        mine.update({tuple(row[:-1]): row[-1] for row in rows if tuple(row[:-1]) in keys})
    return mine


class _Batch:
    """Rows checked so far and not yet settled: a batch at a time, their stored rows are
    looked up and they go through their model's door (``save_many``), which checks them
    as the pages do and, when committing and all is well so far, writes them with their
    history."""

    def __init__(self, kind: Kind, user: User, outcome: Outcome, *, write: bool) -> None:
        self.kind, self.user, self.outcome, self.write = kind, user, outcome, write
        self.rows: list[tuple[int, tuple, dict]] = []
        self.headers = {column.field: str(column.header) for column in kind.columns}
        for name, path in kind.exports.items():  # e.g. household ← household number
            self.headers.setdefault(path.split("__")[0], self.headers[name])

    def add(self, number: int, key: tuple, values: dict) -> None:
        self.rows.append((number, key, values))
        if len(self.rows) >= BATCH:
            self.settle()

    def settle(self) -> None:
        if not self.rows:
            return
        mine = _writable_keys(self.kind, {key for _n, key, _v in self.rows}, self.user)
        rows = [(mine.get(key), values) for _number, key, values in self.rows]
        numbers = [number for number, _key, _values in self.rows]
        self.outcome.created += sum(pk is None for pk, _values in rows)
        self.outcome.updated += sum(pk is not None for pk, _values in rows)
        self.rows.clear()
        refusals = door(self.kind.model).save_many(
            self.user, rows, write=self.write and self.outcome.ok
        )
        for refusal in refusals:
            header = self.headers.get(refusal.field, "") if refusal.field else ""
            if refusal.field and not header:
                label = _field_label(self.kind.model, refusal.field)
                message = f"{label}: {refusal.message}"
            else:
                message = refusal.message
            self.outcome.add(RowError(numbers[refusal.index], header, message))


def _field_label(model: type[Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def run(
    kind: Kind,
    source: Callable[[], object],
    user: User,
    commit: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Check a filled template and, with ``commit``, import it, all or nothing; every
    error is named. ``source()`` opens the file. Raises WrongFile for a file that is not
    this kind's template.

    Reading and checking happen outside any transaction (the rows' doors only read), so
    no upload holds the database's write lock while it is parsed; an import then writes
    the checked rows in one short transaction, rolled back whole if anything is wrong.
    A kind whose door saves row by row is checked inside a transaction rolled back at
    the end, since each row is checked against those saved before it."""
    outcome = Outcome(kind.code)
    if not any(allows(user, action, kind.model) for action in ("create", "edit")):
        outcome.add(RowError(0, "", _("Your role may not import %(kind)s.") % {"kind": kind.title}))
        return outcome
    one_by_one = door(kind.model).one_by_one
    checked: list[tuple[int, tuple, dict]] = []
    check_progress = write_progress = progress
    if progress and commit and not one_by_one:
        # An import reads and checks, then writes: each is half of the way.
        check_progress = lambda done: progress(done // 2)  # noqa: E731
        write_progress = lambda done: progress((len(checked) + done) // 2)  # noqa: E731
    try:
        if one_by_one:
            with transaction.atomic():
                _check(kind, source, user, outcome, progress, checked if commit else None)
                if not commit or not outcome.ok:
                    transaction.set_rollback(True)
        else:
            _check(kind, source, user, outcome, check_progress, checked if commit else None)
            if commit and outcome.ok:
                _write(kind, user, outcome, checked, write_progress)
    except IntegrityError as error:
        # Rows written by someone else since they were checked (two imports of the same
        # households at once), or a rule of the database the checks above do not know:
        # the transaction is rolled back whole.
        outcome.add(
            RowError(
                0,
                "",
                _(
                    "Nothing was imported: another import or user wrote some of these rows "
                    "at the same moment, or a row breaks a rule of the database. Check the "
                    "file again to see which. (%(reason)s)"
                )
                % {"reason": str(error).splitlines()[0]},
            )
        )
    outcome.committed = commit and outcome.ok
    log_event(
        "import.commit" if commit else "import.check",
        user=user,
        kind=kind.code,
        rows=outcome.rows,
        created=outcome.created if outcome.committed else 0,
        updated=outcome.updated if outcome.committed else 0,
        errors=outcome.error_count,
    )
    return outcome


def _check(
    kind: Kind,
    source: object,
    user: User,
    outcome: Outcome,
    progress: Callable[[int], None] | None,
    keep: list | None,
) -> None:
    """Parse and check every row through its door; ``keep`` collects the rows checked
    (for the write that follows). A door saving row by row writes here (the caller's
    transaction), and ``keep`` is then left empty: its rows are already saved."""
    lookups = {name: build(user) for name, build in kind.references.items()}
    seen: dict[tuple, int] = {}
    one_by_one = door(kind.model).one_by_one
    batch = _Batch(kind, user, outcome, write=one_by_one and keep is not None)
    for number, raw in _rows(source, kind):
        outcome.rows += 1
        values = _parse(kind, number, raw, lookups, outcome)
        if values is None:
            continue
        key = _key(kind, values)
        if key in seen:
            outcome.add(
                RowError(number, "", _("The same row as row %(row)s.") % {"row": seen[key]})
            )
            continue
        seen[key] = number
        batch.add(number, key, values)
        if keep is not None and not one_by_one:
            keep.append((number, key, values))
        if progress and outcome.rows % BATCH == 0:
            progress(outcome.rows)
    batch.settle()


def _write(
    kind: Kind, user: User, outcome: Outcome, checked: list, progress: Callable[[int], None] | None
) -> None:
    """Write rows that were checked, a batch at a time, in one transaction; the doors
    check them again (someone may have written since) and refuse them whole."""
    written = Outcome(kind.code)
    with transaction.atomic():
        batch = _Batch(kind, user, written, write=True)
        for done, (number, key, values) in enumerate(checked, start=1):
            batch.add(number, key, values)
            if progress and done % BATCH == 0:
                progress(done)
        batch.settle()
        if not written.ok:
            transaction.set_rollback(True)
    for error in written.errors:
        outcome.add(error)


def from_bytes(content: bytes) -> Callable[[], object]:
    return lambda: io.BytesIO(content)
