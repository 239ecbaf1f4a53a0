"""Importing a filled template: every row checked first, then all of it written or none.

The file is read twice, streaming: the first pass parses and checks every row (types,
references within the user's scope, duplicates in the file, the model's own validators,
permissions for adding or changing) and keeps only the rows' natural keys; the second
pass, only when there was no error and a commit was asked for, reads it again and writes
in batches inside one transaction. Memory grows with the number of distinct keys, not
with the file. Every row written is recorded in the change history.
"""

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from cunqi.core import uploads
from cunqi.core.permissions import allows
from cunqi.exchange.cells import CellError
from cunqi.exchange.kinds import Kind

META_SHEET = "_cunqi"
HEADER_ROW, EXAMPLE_ROW, FIRST_DATA_ROW = 1, 2, 3
BATCH = 2000
MAX_ERRORS_KEPT = 1000
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


def _open(source) -> object:
    try:
        return load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise WrongFile(_("The file is not an Excel workbook (.xlsx) that can be read.")) from error


def check_file(upload) -> None:
    """The upload checks of every file (size, type by content, zip bomb, macros)."""
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise ValidationError(_("Upload the template as an .xlsx workbook."), code="file_type")
    uploads.validate_upload(upload)


def _rows(source, kind: Kind) -> Iterator[tuple[int, dict]]:
    """(row number, {field: raw value}) for each non-empty data row of ``kind``'s sheet."""
    workbook = _open(source)
    try:
        sheet = _data_sheet(workbook, kind)
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, ())
        positions = _positions(header, kind)
        for number, row in enumerate(rows, start=HEADER_ROW + 1):
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
    finally:
        workbook.close()


def _data_sheet(workbook, kind: Kind):
    if META_SHEET in workbook.sheetnames:
        meta = next(workbook[META_SHEET].iter_rows(values_only=True), (None,))[0]
        if meta and meta != f"cunqi:{kind.code}":
            raise WrongFile(
                _("This is the template for “%(other)s”, not for “%(kind)s”.")
                % {"other": str(meta).removeprefix("cunqi:"), "kind": kind.title}
            )
    return workbook.worksheets[0]


def _positions(header, kind: Kind) -> dict[str, int]:
    """Where each column is, by its header in either language."""
    from django.utils import translation

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
            if column.reference and value not in (None, ""):
                pk = lookups[column.reference].get(str(value))
                if pk is None:
                    raise CellError(
                        _("“%(value)s” is not found among the rows you may use.") % {"value": value}
                    )
                values[f"{column.field}_id"] = pk
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


def _model_field(kind: Kind, name: str):
    try:
        return kind.model._meta.get_field(name)
    except Exception:
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


def _existing(kind: Kind, keys: set[tuple], user) -> tuple[dict[tuple, int], set[tuple]]:
    """The keys already in the database: those the user may change (→ pk) and the others."""
    if not keys:
        return {}, set()
    fields = _key_fields(kind)
    # Narrow the query by the key's first part, then match whole keys in Python.
    first = sorted({key[0] for key in keys}, key=str)
    everywhere = {}
    for start in range(0, len(first), IN_CHUNK):
        rows = kind.model._base_manager.filter(
            **{f"{fields[0]}__in": first[start : start + IN_CHUNK]}
        ).values_list(*fields, "pk")
        everywhere.update({tuple(row[:-1]): row[-1] for row in rows if tuple(row[:-1]) in keys})
    found = list(everywhere.values())
    writable = set()
    for start in range(0, len(found), IN_CHUNK):
        writable.update(
            kind.model.objects.editable_by(user)
            .filter(pk__in=found[start : start + IN_CHUNK])
            .values_list("pk", flat=True)
        )
    mine = {key: pk for key, pk in everywhere.items() if pk in writable}
    return mine, set(everywhere) - set(mine)


def run(
    kind: Kind,
    source: Callable[[], object],
    user,
    commit: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Check (and with ``commit``, write) a filled template. ``source()`` opens the file
    afresh for each pass. Raises WrongFile for a file that is not this kind's template."""
    outcome = Outcome(kind.code)
    may_create = allows(user, "create", kind.model)
    may_edit = allows(user, "edit", kind.model)
    if not (may_create or may_edit):
        outcome.add(RowError(0, "", _("Your role may not import %(kind)s.") % {"kind": kind.title}))
        return outcome
    lookups = {name: build(user) for name, build in kind.references.items()}
    seen: dict[tuple, int] = {}
    for number, raw in _rows(source(), kind):
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
    mine, elsewhere = _existing(kind, set(seen), user)
    for key in sorted(elsewhere, key=seen.get):
        outcome.add(
            RowError(seen[key], "", _("This row exists outside your scope and cannot be changed."))
        )
    outcome.updated = len(mine)
    outcome.created = len(seen) - len(mine) - len(elsewhere)
    if outcome.created and not may_create:
        outcome.add(
            RowError(
                0, "", _("Your role may change %(kind)s but not add them.") % {"kind": kind.title}
            )
        )
    if outcome.updated and not may_edit:
        outcome.add(
            RowError(
                0, "", _("Your role may add %(kind)s but not change them.") % {"kind": kind.title}
            )
        )
    if not outcome.ok or not commit:
        return outcome
    try:
        _write(kind, source, user, lookups, mine, progress)
    except IntegrityError as error:
        # A rule of the database the checks above do not know (e.g. a village's name
        # taken in its town): the transaction is rolled back whole.
        outcome.add(RowError(0, "", _("Nothing was imported: %(reason)s") % {"reason": error}))
        return outcome
    outcome.committed = True
    return outcome


@transaction.atomic
def _write(kind, source, user, lookups, existing: dict, progress) -> None:
    model = kind.model
    key_fields = set(_key_fields(kind))
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    new, changed, done = [], [], 0
    update_fields: set[str] = set()

    def flush() -> None:
        created = model.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            model.objects.bulk_update(
                changed, sorted(update_fields | {"updated_at"}), batch_size=BATCH
            )
        LogEntry.objects.bulk_create(
            [
                LogEntry(
                    content_type=content_type,
                    object_pk=str(obj.pk),
                    object_id=obj.pk,
                    object_repr=str(obj)[:200],
                    action=action,
                    changes={"import": [None, kind.code]},
                    actor=user,
                    timestamp=now,
                )
                for action, objs in (
                    (LogEntry.Action.CREATE, created),
                    (LogEntry.Action.UPDATE, changed),
                )
                for obj in objs
                if obj.pk is not None
            ],
            batch_size=BATCH,
        )
        new.clear()
        changed.clear()

    for number, raw in _rows(source(), kind):
        values = _parse(kind, number, raw, lookups, Outcome(kind.code))
        pk = existing.get(_key(kind, values))
        if pk is None:
            new.append(model(**values))
        else:
            update_fields.update(set(values) - key_fields)
            changed.append(model(pk=pk, updated_at=now, **values))
        done += 1
        if len(new) + len(changed) >= BATCH:
            flush()
            if progress:
                progress(done)
    flush()
    if progress:
        progress(done)


def from_bytes(content: bytes) -> Callable[[], object]:
    return lambda: io.BytesIO(content)
