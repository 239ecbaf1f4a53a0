"""Importing a filled template: every row checked, then all of it written or none.

One streaming pass parses and checks every row (types, references within the user's
scope, duplicates in the file, the model's own validators, permission to add or change,
rows that exist outside the user's scope) and, when committing, writes the rows in
batches inside one transaction, which is rolled back whole if any row is wrong; the pass
goes on after an error so that every error is named. Memory grows with one batch and
the file's natural keys, not with the file. Every row written is recorded in the change
history and must lie within the user's write scope.

A kind whose rules depend on the rows saved before it (land transfers: a village's land
can be leased only once at a time) names its service instead; its rows are saved one by
one through that service, in the dry run too, inside the same rolled-back transaction.
"""

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from defusedxml import DefusedXmlException
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from cunqi.core import history, uploads
from cunqi.core.bulk import chunks
from cunqi.core.permissions import allows
from cunqi.core.security import log_event
from cunqi.exchange.cells import CellError
from cunqi.exchange.kinds import Kind

META_SHEET = "_cunqi"
HEADER_ROW, FIRST_DATA_ROW = 1, 3  # row 2 is the template's example
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


def _rows(source: Callable[[], object], kind: Kind) -> Iterator[tuple[int, dict]]:
    """(row number, {field: raw value}) for each non-empty data row of ``kind``'s sheet;
    ``source()`` opens the file, which is closed when the rows end."""
    with source() as handle:
        yield from _sheet_rows(handle, kind)


def _sheet_rows(handle, kind: Kind) -> Iterator[tuple[int, dict]]:
    workbook = _open(handle)
    try:
        yield from _read_sheet(workbook, kind)
    except DefusedXmlException as error:  # sheets are parsed as they are read
        raise WrongFile(_("The file is not an Excel workbook (.xlsx) that can be read.")) from error
    finally:
        workbook.close()


def _read_sheet(workbook, kind: Kind) -> Iterator[tuple[int, dict]]:
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


def _resolve(lookups: dict, column, value) -> int:
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


def _writable(model, user, pks: list) -> set:
    """Of ``pks``, those the user may change."""
    found = set()
    for part in chunks(pks, IN_CHUNK):
        found.update(
            model.objects.editable_by(user).filter(pk__in=part).values_list("pk", flat=True)
        )
    return found


def _existing(kind: Kind, keys: set[tuple], user) -> tuple[dict[tuple, int], set[tuple]]:
    """The keys already in the database: those the user may change (→ pk) and the others."""
    if not keys:
        return {}, set()
    fields = _key_fields(kind)
    # Narrow the query by the key's first part, then match whole keys in Python.
    first = sorted({key[0] for key in keys}, key=str)
    everywhere = {}
    for part in chunks(first, IN_CHUNK):
        rows = kind.model._base_manager.filter(**{f"{fields[0]}__in": part}).values_list(
            *fields, "pk"
        )
        everywhere.update({tuple(row[:-1]): row[-1] for row in rows if tuple(row[:-1]) in keys})
    writable = _writable(kind.model, user, list(everywhere.values()))
    mine = {key: pk for key, pk in everywhere.items() if pk in writable}
    return mine, set(everywhere) - set(mine)


class _Batch:
    """Rows checked so far and not yet settled: their existing rows are looked up (and,
    when committing and all is well so far, they are written) a batch at a time."""

    def __init__(self, kind: Kind, user, outcome: Outcome, commit: bool, may: dict) -> None:
        self.kind, self.user, self.outcome, self.commit, self.may = kind, user, outcome, commit, may
        self.rows: list[tuple[int, tuple, dict]] = []
        self.key_fields = set(_key_fields(kind))
        self.many = [f.name for f in kind.model._meta.many_to_many if f.name in kind.fields]
        self.content_type = ContentType.objects.get_for_model(kind.model)
        self.now = timezone.now()

    def add(self, number: int, key: tuple, values: dict) -> None:
        self.rows.append((number, key, values))
        if len(self.rows) >= BATCH:
            self.settle()

    def settle(self) -> None:
        mine, elsewhere = _existing(self.kind, {key for _n, key, _v in self.rows}, self.user)
        new, changed, fields, related, numbers = [], [], set(), [], {}
        stored = {}
        if self.kind.save:
            for part in chunks(list(mine.values()), IN_CHUNK):
                stored.update(self.kind.model.objects.in_bulk(part))
        for number, key, values in self.rows:
            values = dict(values)
            many = {name: values.pop(name) for name in self.many if name in values}
            if key in elsewhere:
                self.outcome.add(
                    RowError(
                        number, "", _("This row exists outside your scope and cannot be changed.")
                    )
                )
            elif key in mine:
                self.outcome.updated += 1
                if not self.may["edit"]:
                    self.outcome.add(
                        RowError(number, "", _("Your role may add rows here but not change them."))
                    )
                fields.update(set(values) - self.key_fields)
                if self.kind.save:  # the service saves whole rows: start from the stored one
                    obj = stored[mine[key]]
                    for name, value in values.items():
                        setattr(obj, name, value)
                else:
                    obj = self.kind.model(pk=mine[key], updated_at=self.now, **values)
                changed.append(obj)
                related.append((obj, many))
                numbers[id(obj)] = number
            else:
                self.outcome.created += 1
                if not self.may["create"]:
                    self.outcome.add(
                        RowError(number, "", _("Your role may change rows here but not add them."))
                    )
                new.append(self.kind.model(**values))
                related.append((new[-1], many))
                numbers[id(new[-1])] = number
        self.rows.clear()
        if self.kind.save:
            self.save_each([obj for obj, _many in related], numbers)
        elif self.commit and self.outcome.ok:
            self.write(new, changed, fields, related)
            self.check_scope(new + changed, numbers)

    def save_each(self, objs: list, numbers: dict) -> None:
        """Rows whose rules need the rows saved before them (a village's land can be leased
        only once) go one by one through the kind's service, as the pages save them; in a
        dry run too, since the transaction is rolled back anyway."""
        headers = {column.field: str(column.header) for column in self.kind.columns}
        for name, path in self.kind.exports.items():  # e.g. household ← household number
            headers.setdefault(path.split("__")[0], headers[name])
        for obj in objs:
            try:
                with transaction.atomic():
                    self.kind.save(obj)
            except ValidationError as error:
                named = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
                for name, messages in named.items():
                    header = headers.get(name, "")
                    for message in messages:
                        self.outcome.add(RowError(numbers[id(obj)], header, message))
        self.check_scope(objs, numbers)

    def check_scope(self, objs: list, numbers: dict) -> None:
        """Belt and braces, as for a page's save: every row written must lie within the
        user's write scope (a village the user may see is not always one they may add
        rows for); otherwise the row is named and the whole import rolled back."""
        saved = {obj.pk: obj for obj in objs if obj.pk is not None}
        writable = _writable(self.kind.model, self.user, list(saved))
        for pk in sorted(set(saved) - writable, key=lambda pk: numbers[id(saved[pk])]):
            self.outcome.add(
                RowError(
                    numbers[id(saved[pk])],
                    "",
                    _("This row would lie outside your scope and cannot be imported."),
                )
            )

    def write(self, new: list, changed: list, fields: set, related: list) -> None:
        model = self.kind.model
        with history.recorded():  # each row's entry is written below
            created = model.objects.bulk_create(new, batch_size=BATCH)
            if changed:
                model.objects.bulk_update(
                    changed, sorted(fields | {"updated_at"}), batch_size=BATCH
                )
        for name in self.many:
            # Replace each row's links (an enclave project's villages, say) in two statements.
            field = model._meta.get_field(name)
            through, source = field.remote_field.through, field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            through.objects.filter(**{f"{source}__in": [obj.pk for obj, _m in related]}).delete()
            through.objects.bulk_create(
                [
                    through(**{f"{source}_id": obj.pk, f"{target}_id": pk})
                    for obj, many in related
                    for pk in dict.fromkeys(many.get(name, ()))
                ],
                batch_size=BATCH,
            )
        LogEntry.objects.bulk_create(
            [
                LogEntry(
                    content_type=self.content_type,
                    object_pk=str(obj.pk),
                    object_id=obj.pk,
                    object_repr=str(obj)[:200],
                    action=action,
                    changes={"import": [None, self.kind.code]},
                    actor=self.user,
                    timestamp=self.now,
                )
                for action, objs in (
                    (LogEntry.Action.CREATE, created),
                    (LogEntry.Action.UPDATE, changed),
                )
                for obj in objs
            ],
            batch_size=BATCH,
        )


def run(
    kind: Kind,
    source: Callable[[], object],
    user,
    commit: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Check a filled template and, with ``commit``, import it: in one streaming pass, in
    one transaction that is rolled back whole at the first error (the pass goes on to
    name every error). ``source()`` opens the file. Raises WrongFile for a file that is
    not this kind's template."""
    outcome = Outcome(kind.code)
    may = {action: allows(user, action, kind.model) for action in ("create", "edit")}
    if not any(may.values()):
        outcome.add(RowError(0, "", _("Your role may not import %(kind)s.") % {"kind": kind.title}))
        return outcome
    lookups = {name: build(user) for name, build in kind.references.items()}
    seen: dict[tuple, int] = {}
    try:
        with transaction.atomic():
            batch = _Batch(kind, user, outcome, commit, may)
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
                if progress and outcome.rows % BATCH == 0:
                    progress(outcome.rows)
            batch.settle()
            if not outcome.ok or not commit:
                transaction.set_rollback(True)
    except IntegrityError as error:
        # Rows written by someone else since they were checked (two imports of the same
        # households at once), or a rule of the database the checks above do not know (a
        # village's name taken in its town): the transaction is rolled back whole.
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


def from_bytes(content: bytes) -> Callable[[], object]:
    return lambda: io.BytesIO(content)
