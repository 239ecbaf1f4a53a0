"""One door for every write: each change of a domain row goes through its model's door.

Pages, the REST API, the Excel importer, tasks and commands all call ``door(Model)``;
nothing else writes a domain row. A door checks, in this order and the same way for
every caller:

1. the row lies in the user's scope (404 if they cannot see it, so it does not leak),
2. the user's role may take the step (403), and may write this row (403),
3. the row's state still lets it change (``frozen``),
4. no field the role may not set is changed (``restricted_fields``),
5. every field rule and cross-row invariant (``full_clean`` and the door's ``check``),

then writes the change with its history, all or nothing, and refuses it whole if the
written row would lie outside the user's write scope. ``save_many`` is the same door for
many rows at once (the importer): the same checks, batched, and one history entry per
row with every changed field.

An app subclasses ``Door`` for a model with more rules (its hooks below) and registers it
with ``@register`` in its ``services.py``; every other model has the plain door.
Workflow steps (approve, post, submit…) are service functions that begin with
``authorize``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.db.models.fields.files import FieldFile
from django.dispatch import Signal
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from cunqi.core import constraints, history, uploads
from cunqi.core.bulk import chunks
from cunqi.core.permissions import READ_ACTIONS, allows
from cunqi.core.roles import Role

IN_CHUNK = 500  # values per IN (…) list: SQLite limits a statement's parameters
# Sent (sender: the model) after rows were written in bulk, which sends no post_save.
written = Signal()
_DOORS: dict[type[models.Model], type[Door]] = {}


def register(door_class: type[Door]) -> type[Door]:
    """Class decorator: ``door_class`` is the door of its ``model``."""
    _DOORS[door_class.model] = door_class
    door.cache_clear()
    return door_class


@cache
def door(model: type[models.Model]) -> Door:
    """The door of ``model``: the one its app registered, or the plain one."""
    _discover()
    door_class = _DOORS.get(model)
    return door_class() if door_class else Door(model)


@cache
def _discover() -> None:
    # Each app registers its doors in its services module.
    autodiscover_modules("services")


def authorize(user: AbstractBaseUser, action: str, obj=None, *, model=None) -> None:
    """Refuse ``action`` on ``obj`` (or on ``model`` for a new row) unless ``user`` may
    take it: Http404 for a row outside their sight, PermissionDenied for a role that may
    not, or a row they may see but not write."""
    model = model or type(obj)
    existing = obj is not None and obj.pk is not None
    if existing and not model.objects.visible_to(user).filter(pk=obj.pk).exists():
        raise Http404
    if not allows(user, action, model):
        raise PermissionDenied
    if (
        existing
        and action not in READ_ACTIONS
        and not model.objects.editable_by(user).filter(pk=obj.pk).exists()
    ):
        raise PermissionDenied


def is_city_wide_writer(user: AbstractBaseUser) -> bool:
    return bool(user.is_superuser or getattr(user, "role", None) == Role.TASKFORCE)


@dataclass(frozen=True)
class Refusal:
    """Why one row of ``save_many`` was refused: its index in the rows given, the field
    (None for the whole row) and the message in the reader's language."""

    index: int
    field: str | None
    message: str


def refusals_of(index: int, error: ValidationError) -> list[Refusal]:
    if hasattr(error, "error_dict"):
        return [
            Refusal(index, None if name == NON_FIELD_ERRORS else name, message)
            for name, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
    return [Refusal(index, None, message) for message in error.messages]


def _merge(errors: dict, error: ValidationError) -> None:
    for name, messages in (
        error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    ).items():
        errors.setdefault(name, []).extend(messages)


class Door:
    """The one way rows of ``model`` change. Subclasses override the hooks."""

    model: type[models.Model] = None
    # field → the roles beside the task force that may set or change it (e.g. only the
    # task force designates demonstration projects).
    restricted_fields: Mapping[str, frozenset[str]] = {}
    # Fields the platform sets (statuses, makers, approvers), never a caller.
    managed_fields: frozenset[str] = frozenset()
    # Whether ``save_many`` must save each row through ``save`` (rules that depend on the
    # rows saved before, locks, rows written beside it) instead of in bulk.
    one_by_one: bool = False
    # Inputs beside the row's fields (an equity structure's stakes), passed to the hooks
    # in ``related`` with the many-to-many ids.
    extra_inputs: frozenset[str] = frozenset()

    def __init__(self, model: type[models.Model] | None = None) -> None:
        if model is not None:
            self.model = model

    # ---- hooks ----------------------------------------------------------------------

    def frozen(self, row) -> str | None:
        """Why ``row`` (as stored) can no longer be changed or deleted, or None."""
        return None

    def prepare(self, row, user, *, previous) -> None:
        """Set what the platform decides (a maker, a status) before the checks."""

    def check(self, row, related: dict, user, *, previous) -> None:
        """Cross-row rules beyond ``full_clean`` (raise ValidationError); ``related`` holds
        the many-to-many ids the row will have and the ``extra_inputs``."""

    def write(self, row, related: dict, user, *, previous):
        """Store the checked row (and its many-to-many links); return the saved row."""
        row.save()
        for field in row._meta.many_to_many:
            if field.name in related:
                getattr(row, field.name).set(related[field.name])
        return row

    def remove(self, row, user) -> None:
        row.delete()

    # ---- what callers use -----------------------------------------------------------

    def create(self, user, values: Mapping):
        return self.save(user, None, values)

    def update(self, user, obj, values: Mapping):
        return self.save(user, obj, values)

    def save(self, user, obj, values: Mapping):
        """Create (``obj`` None or unsaved) or change a row from ``values`` (field name or
        attname → value; many-to-many fields as rows or ids). Raises Http404,
        PermissionDenied or ValidationError with nothing kept."""
        with transaction.atomic():
            if obj is None or obj.pk is None:
                authorize(user, "create", model=self.model)
                row, previous = self.model(), None
            else:
                authorize(user, "edit", obj)
                row = self.locked(obj.pk)
                self.refuse_if_frozen(row)
                previous = snapshot(row)
            related = self.apply(row, values, user, previous=previous)
            self.prepare(row, user, previous=previous)
            self.validate(row, related, user, previous=previous)
            saved = self.write(row, related, user, previous=previous)
            self.ensure_in_scope(user, [saved])
            return saved

    def save_instance(self, user, instance, **extra):
        """Save a row built or changed in code (a task, a command, the demo) through the
        door: its editable fields are the values, ``extra`` the extra inputs."""
        values = {
            field.attname: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields
            if field.editable and not field.primary_key and field.name not in self.managed_fields
        }
        return self.save(user, instance if instance.pk else None, {**values, **extra})

    def delete(self, user, obj) -> None:
        authorize(user, "delete", obj)
        try:
            with transaction.atomic():
                row = self.locked(obj.pk)
                self.refuse_if_frozen(row)
                self.remove(row, user)
        except (ProtectedError, IntegrityError):
            raise ValidationError(
                _("“%(name)s” is still used by other records and cannot be deleted.")
                % {"name": obj},
                code="in_use",
            ) from None

    def may_change(self, row) -> bool:
        """Whether the row's state lets it change at all (pages hide their buttons)."""
        return self.frozen(row) is None

    def closed_fields(self, user) -> set[str]:
        """The fields ``user``'s role may not set (a page shows them read-only)."""
        closed = set(self.managed_fields)
        if not is_city_wide_writer(user):
            role = getattr(user, "role", None)
            closed |= {name for name, roles in self.restricted_fields.items() if role not in roles}
        return closed

    # ---- the steps ------------------------------------------------------------------

    def locked(self, pk):
        return self.model._base_manager.select_for_update().get(pk=pk)

    def refuse_if_frozen(self, row) -> None:
        if reason := self.frozen(row):
            raise ValidationError(reason, code="frozen")

    def apply(self, row, values: Mapping, user, *, previous) -> dict[str, list[int]]:
        """Set ``values`` on ``row``; return the many-to-many ids it will have. A link to
        a row the user cannot see is kept as it is (they could neither see nor choose it),
        and a field their role may not set must stay as it was."""
        meta = self.model._meta
        related: dict[str, list[int]] = {}
        before = {}
        closed = self.closed_fields(user)
        for name, value in values.items():
            if name in self.extra_inputs:
                related[name] = value
                continue
            field = _field(meta, name)
            if field.many_to_many:
                ids = [getattr(item, "pk", item) for item in value or ()]
                current = _m2m_ids(previous, field)
                related[field.name] = _keep_hidden(field, current, ids, user)
                before[field.name] = set(current)
                continue
            before.setdefault(field.name, field.value_from_object(row))
            if name == field.attname and field.is_relation:
                setattr(row, name, value)
            elif isinstance(field, models.FileField) and _is_new_file(value):
                _take_upload(row, field, value)
            else:
                field.save_form_data(row, value)
        errors = {}
        for name in sorted(closed & set(before)):
            field = meta.get_field(name)
            after = set(related[name]) if field.many_to_many else field.value_from_object(row)
            if after != before[name]:
                errors[name] = [
                    _("Your role may not set “%(field)s”.") % {"field": field.verbose_name}
                ]
        if errors:
            raise ValidationError(errors, code="restricted")
        return related

    def validate(self, row, related, user, *, previous, bulk: bool = False) -> None:
        """Every rule, each stage only if the one before passed: the fields' and the
        model's ``clean``; the door's ``check`` (its own words for a domain rule); then the
        model's constraints, the database's last line. In bulk, uniqueness is checked by
        ``save_many`` (one query a batch) and check constraints in Python."""
        try:
            _refuse_what_cannot_be_stored(row)
            row.full_clean(validate_unique=False, validate_constraints=False)
            self.check(row, related, user, previous=previous)
            if bulk:
                errors: dict[str, list] = {}
                for error in _check_constraints(row):
                    _merge(errors, error)
                if errors:
                    raise ValidationError(errors)
            else:
                row.validate_unique()
                row.validate_constraints()
        except ValidationError as error:
            errors = {}
            _merge(errors, error)
            raise ValidationError(errors) from None

    def ensure_in_scope(self, user, rows: Sequence) -> list:
        """Belt and braces: the rows written must lie in the user's write scope; returns
        the rows that do not (raising, for one row, which undoes the change)."""
        ids = [row.pk for row in rows]
        inside = set()
        for part in chunks(ids, IN_CHUNK):
            inside.update(
                self.model.objects.editable_by(user)
                .filter(pk__in=part)
                .values_list("pk", flat=True)
            )
        outside = [row for row in rows if row.pk not in inside]
        if outside and len(rows) == 1:
            raise ValidationError(_("You can only save rows that lie within your own scope."))
        return outside

    # ---- many rows at once ----------------------------------------------------------

    def save_many(
        self, user, rows: Sequence[tuple[int | None, Mapping]], *, write: bool
    ) -> list[Refusal]:
        """Check, and with ``write`` store, many rows: (pk of a row to change or None,
        values). The same checks as ``save``; returns every refusal (nothing is written
        when there is one: the caller's transaction is rolled back)."""
        if self.one_by_one:
            return self._save_each(user, rows)
        refusals: list[Refusal] = []
        may = {action: allows(user, action, self.model) for action in ("create", "edit")}
        stored = self._writable_rows(
            user, [pk for pk, _values in rows if pk is not None], lock=write
        )
        links = _stored_links(self.model, {name for _pk, values in rows for name in values}, stored)
        checked: list[tuple[int, object, object, dict]] = []
        for index, (pk, values) in enumerate(rows):
            action = "create" if pk is None else "edit"
            if not may[action]:
                refusals.append(Refusal(index, None, _role_refusal(action)))
                continue
            if pk is not None and pk not in stored:
                refusals.append(Refusal(index, None, _("Not found among the rows you may change.")))
                continue
            row = stored[pk] if pk is not None else self.model()
            previous = None
            if pk is not None:
                if reason := self.frozen(row):
                    refusals.append(Refusal(index, None, reason))
                    continue
                previous = snapshot(row)
                previous._m2m = {name: ids.get(pk, []) for name, ids in links.items()}
            try:
                related = self.apply(row, values, user, previous=previous)
                self.prepare(row, user, previous=previous)
            except ValidationError as error:
                refusals.extend(refusals_of(index, error))
                continue
            checked.append((index, row, previous, related))
        _cache_relations(self.model, [row for _i, row, _p, _r in checked])
        valid = []
        for index, row, previous, related in checked:
            try:
                self.validate(row, related, user, previous=previous, bulk=True)
            except ValidationError as error:
                refusals.extend(refusals_of(index, error))
                continue
            valid.append((index, row, previous, related))
        refusals.extend(_unique_conflicts(self.model, [(i, row) for i, row, _p, _r in valid]))
        if write and not refusals:
            refusals.extend(self._write_many(user, valid))
        return sorted(refusals, key=lambda refusal: refusal.index)

    def _save_each(self, user, rows) -> list[Refusal]:
        """Rows whose rules need the rows saved before them, through ``save`` one by one
        (in a check too: the caller rolls the transaction back)."""
        refusals = []
        stored = self._writable_rows(user, [pk for pk, _values in rows if pk is not None])
        for index, (pk, values) in enumerate(rows):
            if pk is not None and pk not in stored:
                refusals.append(Refusal(index, None, _("Not found among the rows you may change.")))
                continue
            try:
                with transaction.atomic():
                    self.save(user, stored.get(pk), values)
            except ValidationError as error:
                refusals.extend(refusals_of(index, error))
            except PermissionDenied:
                action = "create" if pk is None else "edit"
                refusals.append(Refusal(index, None, _role_refusal(action)))
            except Http404:
                refusals.append(Refusal(index, None, _("Not found among the rows you may change.")))
        return refusals

    def _writable_rows(self, user, pks: list[int], *, lock: bool = True) -> dict[int, object]:
        """The rows ``pks`` the user may change, locked for the write that follows (a
        check only reads, outside any transaction)."""
        rows = self.model.objects.editable_by(user)
        if lock:  # the row itself: scope paths may join rows that are not there (NULL)
            rows = rows.select_for_update(of=("self",))
        found = {}
        for part in chunks(pks, IN_CHUNK):
            found.update({row.pk: row for row in rows.filter(pk__in=part)})
        return found

    def _write_many(self, user, valid: list) -> list[Refusal]:
        model = self.model
        now = timezone.now()
        new = [row for _i, row, previous, _r in valid if previous is None]
        changed = [(row, previous) for _i, row, previous, _r in valid if previous is not None]
        fields = sorted(
            {name for row, previous in changed for name in _changed_fields(row, previous)}
        )
        with history.recorded():  # each row's entry is written below
            model.objects.bulk_create(new, batch_size=history.BATCH)
            if changed and fields:
                for row, _previous in changed:
                    row.updated_at = now
                model.objects.bulk_update(
                    [row for row, _p in changed], [*fields, "updated_at"], batch_size=history.BATCH
                )
        many = {field.name for field in model._meta.many_to_many}
        for name in {name for _i, _row, _p, related in valid for name in related} & many:
            _replace_links(
                model,
                name,
                [(row, related[name]) for _i, row, _p, related in valid if name in related],
            )
        valid = [
            (index, row, previous, {name: ids for name, ids in related.items() if name in many})
            for index, row, previous, related in valid
        ]
        text = _field_texts(model)
        links = _link_texts(model, valid)
        history.record_creates_as(
            {
                row: {
                    **{name: text(row, name) for name in _history_fields(model)},
                    **{name: links(name, ids) for name, ids in related.items()},
                }
                for _i, row, previous, related in valid
                if previous is None
            },
            user,
            at=now,
        )
        history.record_changes(
            {
                row: {
                    **{
                        name: (text(previous, name), text(row, name))
                        for name in _changed_fields(row, previous)
                    },
                    **{
                        name: (links(name, previous._m2m.get(name, [])), links(name, ids))
                        for name, ids in related.items()
                        if set(ids) != set(previous._m2m.get(name, []))
                    },
                }
                for _i, row, previous, related in valid
                if previous is not None
            },
            user,
            at=now,
        )
        transaction.on_commit(lambda: written.send(sender=model))
        index_of = {id(row): index for index, row, _p, _r in valid}
        return [
            Refusal(
                index_of[id(row)],
                None,
                _("This row would lie outside your scope and cannot be saved."),
            )
            for row in self.ensure_in_scope(user, [row for _i, row, _p, _r in valid])
        ]


def _role_refusal(action: str) -> str:
    if action == "create":
        return _("Your role may change rows here but not add them.")
    return _("Your role may add rows here but not change them.")


def _field(meta, name: str):
    try:
        return meta.get_field(name)
    except Exception:
        for field in meta.concrete_fields:
            if field.attname == name:
                return field
        raise ValueError(f"{meta.label} has no field {name!r}") from None


def _is_new_file(value) -> bool:
    """An uploaded or built file, not the row's stored one coming back unchanged."""
    return isinstance(value, File) and not isinstance(value, FieldFile)


def _take_upload(row, field, upload: File) -> None:
    """A new file, checked (type by content, size, archives) before it is kept; the name
    its uploader gave it is kept beside it where the row has room for one."""
    try:
        uploads.validate_upload(upload)
    except ValidationError as error:
        raise ValidationError({field.name: error.messages}) from None
    field.save_form_data(row, upload)
    if any(f.name == "file_name" for f in row._meta.concrete_fields):
        row.file_name = uploads.clean_name(upload.name)


def snapshot(row):
    """An unsaved copy of ``row``'s stored values (what a change is compared with)."""
    fields = row._meta.concrete_fields
    copy = type(row).from_db(
        row._state.db, [f.attname for f in fields], [getattr(row, f.attname) for f in fields]
    )
    copy._m2m = {}
    return copy


def _links(field, pks) -> dict[int, list[int]]:
    """The stored many-to-many ids of the rows ``pks`` (row → ids), a chunk a query."""
    through, source = field.remote_field.through, field.m2m_field_name()
    target = field.m2m_reverse_field_name()
    found = defaultdict(list)
    for part in chunks(sorted(pks), IN_CHUNK):
        for row, linked in (
            through.objects.filter(**{f"{source}__in": part})
            .order_by("pk")
            .values_list(f"{source}_id", f"{target}_id")
        ):
            found[row].append(linked)
    return found


def _stored_links(model, names: set[str], stored: Mapping) -> dict[str, dict[int, list[int]]]:
    fields = [field for field in model._meta.many_to_many if field.name in names]
    return {field.name: _links(field, list(stored)) for field in fields}


def _m2m_ids(previous, field) -> list[int]:
    if previous is None:
        return []
    if field.name not in previous._m2m:
        previous._m2m[field.name] = _links(field, [previous.pk]).get(previous.pk, [])
    return previous._m2m[field.name]


def _keep_hidden(field, current: Iterable[int], chosen: Iterable[int], user) -> list[int]:
    target = field.related_model
    current = list(current)
    if not current or not hasattr(target.objects, "visible_to"):
        return list(dict.fromkeys(chosen))
    seen = set(target.objects.visible_to(user).filter(pk__in=current).values_list("pk", flat=True))
    hidden = [pk for pk in current if pk not in seen]
    return list(dict.fromkeys([*chosen, *hidden]))


EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


def _refuse_what_cannot_be_stored(row) -> None:
    """Values no field rule expects but that break a write or what follows it, refused
    at their field: a date the programme cannot mean (a lease ending 9999-12-31, whose
    schedule is computed year by year), and text that is not Unicode (a lone surrogate
    from a JSON escape, which no database encoding takes)."""
    errors = {}
    for field in row._meta.concrete_fields:
        value = getattr(row, field.attname)
        if isinstance(field, models.DateField):
            day = value.date() if isinstance(value, datetime) else value
            if isinstance(day, date) and not EARLIEST <= day <= LATEST:
                errors[field.name] = [
                    _("Give a date between %(earliest)s and %(latest)s.")
                    % {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}
                ]
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                errors[field.name] = [_("This text holds a character that is not valid text.")]
    if errors:
        raise ValidationError(errors)


def _check_constraints(row) -> list[ValidationError]:
    """The model's check constraints on ``row``, evaluated in Python where they can be
    (else by Django's query)."""
    found = []
    for constraint in row._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        try:
            if constraints.satisfies(row, constraint.condition):
                continue
            message = constraint.get_violation_error_message()
            found.append(ValidationError(message, code=constraint.violation_error_code))
        except constraints.Unknown:
            try:
                constraint.validate(type(row), row)
            except ValidationError as error:
                found.append(error)
    return found


def _unique_conflicts(model, rows: Sequence[tuple[int, object]]) -> list[Refusal]:
    """The unique fields and constraints that the rows break, among themselves or with
    stored rows: one query a batch per constraint, messages as Django's own."""
    refusals = []
    sets = [
        (field.name,)
        for field in model._meta.concrete_fields
        if field.unique and not field.primary_key
    ]
    conditions = {}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields:
            sets.append(tuple(constraint.fields))
            conditions[tuple(constraint.fields)] = constraint
    for names in sets:
        constraint = conditions.get(names)
        attnames = [model._meta.get_field(name).attname for name in names]
        keyed = []
        for index, row in rows:
            key = tuple(getattr(row, attname) for attname in attnames)
            if any(value is None for value in key):
                continue
            if constraint is not None and constraint.condition is not None:
                try:
                    if not constraints.satisfies(row, constraint.condition):
                        continue
                except constraints.Unknown:
                    pass
            keyed.append((index, row, key))
        if not keyed:
            continue
        taken = _stored_keys(model, attnames, constraint, [key for _i, _r, key in keyed])
        first: dict[tuple, int] = {}
        for index, row, key in keyed:
            other = taken.get(key)
            if (other is not None and other != row.pk) or key in first:
                custom = constraint is not None and (
                    constraint.violation_error_message != constraint.default_violation_error_message
                )
                error = (
                    constraint.get_violation_error_message()
                    if custom
                    else row.unique_error_message(model, names)
                )
                field = names[0] if len(names) == 1 else None
                refusals.extend(
                    refusals_of(index, ValidationError({field: [error]} if field else error))
                )
            first.setdefault(key, index)
    return refusals


def _stored_keys(model, attnames, constraint, keys) -> dict[tuple, int]:
    taken = {}
    wanted = set(keys)
    for part in chunks(sorted({key[0] for key in keys}, key=str), IN_CHUNK):
        stored = model._base_manager.filter(**{f"{attnames[0]}__in": part})
        if constraint is not None and constraint.condition is not None:
            stored = stored.filter(constraint.condition)
        for *key, pk in stored.values_list(*attnames, "pk"):
            if tuple(key) in wanted:
                taken[tuple(key)] = pk
    return taken


def _cache_relations(model, rows: Sequence) -> None:
    """Attach each row's related rows, fetched a batch at a time, so that ``clean()``
    and the history read them without a query per row."""
    for field in model._meta.concrete_fields:
        if not field.is_relation or not field.many_to_one:
            continue
        ids = {getattr(row, field.attname) for row in rows} - {None}
        if not ids:
            continue
        found = {}
        for part in chunks(sorted(ids), IN_CHUNK):
            found.update(field.related_model._base_manager.in_bulk(part))
        for row in rows:
            value = getattr(row, field.attname)
            if value is not None and value in found and not field.is_cached(row):
                field.set_cached_value(row, found[value])


def _history_fields(model) -> list[str]:
    registered = history.registered_fields(model)
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.name not in ("created_at", "updated_at")
        and registered(field.name)
    ]


def _changed_fields(row, previous) -> list[str]:
    return [
        field.name
        for field in row._meta.concrete_fields
        if field.name not in ("created_at", "updated_at")
        and getattr(row, field.attname) != getattr(previous, field.attname)
    ]


def _field_texts(model):
    """(row, field name) → the value as the history shows it; related rows as they read,
    looked up once each."""
    names: dict[tuple[type, object], str] = {}
    fields = {field.name: field for field in model._meta.concrete_fields}

    def text(row, name: str):
        field = fields[name]
        value = getattr(row, field.attname)
        if value is None or not field.is_relation:
            return value
        key = (field.related_model, value)
        if key not in names:
            related = (
                field.get_cached_value(row)
                if field.is_cached(row)
                else field.related_model._base_manager.filter(pk=value).first()
            )
            names[key] = str(related) if related is not None else str(value)
        return names[key]

    return text


def _link_texts(model, valid: list):
    """(field, ids) → the related rows as they read, joined (a many-to-many's history)."""
    names: dict[tuple[str, int], str] = {}
    for name in {name for _i, _row, _p, related in valid for name in related}:
        target = model._meta.get_field(name).related_model
        ids = {
            pk
            for _i, _row, previous, related in valid
            for pk in [*related.get(name, ()), *getattr(previous, "_m2m", {}).get(name, ())]
        }
        for part in chunks(sorted(ids), IN_CHUNK):
            found = target._base_manager.in_bulk(part)
            names.update({(name, pk): str(row) for pk, row in found.items()})
    return lambda name, ids: "、".join(names.get((name, pk), str(pk)) for pk in ids)


def _replace_links(model, name: str, links: list[tuple[object, list[int]]]) -> None:
    """Replace each row's many-to-many links (an enclave project's villages) in bulk."""
    field = model._meta.get_field(name)
    through, source = field.remote_field.through, field.m2m_field_name()
    target = field.m2m_reverse_field_name()
    for part in chunks(links, IN_CHUNK):
        through.objects.filter(**{f"{source}__in": [row.pk for row, _ids in part]}).delete()
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": row.pk, f"{target}_id": pk})
                for row, ids in part
                for pk in dict.fromkeys(ids)
            ],
            batch_size=history.BATCH,
        )


def error_lists(error: ValidationError) -> dict[str | None, list[str]]:
    """A ValidationError as {field or None: [messages]}."""
    grouped: dict[str | None, list[str]] = defaultdict(list)
    for refusal in refusals_of(0, error):
        grouped[refusal.field].append(refusal.message)
    return dict(grouped)
