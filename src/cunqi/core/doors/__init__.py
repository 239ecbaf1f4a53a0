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

from collections.abc import Mapping, Sequence
from functools import cache

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from cunqi.core import history, personal
from cunqi.core.bulk import chunks
from cunqi.core.doors.bulk import ManyRows, written
from cunqi.core.doors.checks import check_constraints, refuse_what_cannot_be_stored
from cunqi.core.doors.refusals import Refusal, error_lists, merge_into, refusals_of
from cunqi.core.doors.rows import (
    IN_CHUNK,
    field_named,
    is_new_file,
    keep_hidden,
    m2m_ids,
    snapshot,
    take_upload,
)
from cunqi.core.permissions import READ_ACTIONS, allows
from cunqi.core.roles import Role

__all__ = [
    "Door",
    "Refusal",
    "authorize",
    "door",
    "error_lists",
    "is_city_wide_writer",
    "refusals_of",
    "register",
    "snapshot",
    "written",
]


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


def authorize(
    user: AbstractBaseUser,
    action: str,
    obj: models.Model | None = None,
    *,
    model: type[models.Model] | None = None,
) -> None:
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


class Door(ManyRows):
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

    def frozen(self, row: models.Model) -> str | None:
        """Why ``row`` (as stored) can no longer be changed or deleted, or None."""
        return None

    def prepare(
        self, row: models.Model, user: AbstractBaseUser, *, previous: models.Model | None
    ) -> None:
        """Set what the platform decides (a maker, a status) before the checks."""

    def check(
        self,
        row: models.Model,
        related: dict,
        user: AbstractBaseUser,
        *,
        previous: models.Model | None,
    ) -> None:
        """Cross-row rules beyond ``full_clean`` (raise ValidationError); ``related`` holds
        the many-to-many ids the row will have and the ``extra_inputs``."""

    def write(
        self,
        row: models.Model,
        related: dict,
        user: AbstractBaseUser,
        *,
        previous: models.Model | None,
    ) -> models.Model:
        """Store the checked row (and its many-to-many links, in the same history entry);
        return the saved row."""
        links = {f: related[f.name] for f in row._meta.many_to_many if f.name in related}
        history.save_with_links(row, links, user)
        return row

    def remove(self, row: models.Model, user: AbstractBaseUser) -> None:
        row.delete()

    # ---- what callers use -----------------------------------------------------------

    def create(self, user: AbstractBaseUser, values: Mapping) -> models.Model:
        return self.save(user, None, values)

    def update(self, user: AbstractBaseUser, obj: models.Model, values: Mapping) -> models.Model:
        return self.save(user, obj, values)

    def save(
        self, user: AbstractBaseUser, obj: models.Model | None, values: Mapping
    ) -> models.Model:
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

    def save_instance(
        self, user: AbstractBaseUser, instance: models.Model, **extra: object
    ) -> models.Model:
        """Save a row built or changed in code (a task, a command, the demo) through the
        door: its editable fields are the values, ``extra`` the extra inputs."""
        values = {
            field.attname: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields
            if field.editable and not field.primary_key and field.name not in self.managed_fields
        }
        return self.save(user, instance if instance.pk else None, {**values, **extra})

    def delete(self, user: AbstractBaseUser, obj: models.Model) -> None:
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

    def may_change(self, row: models.Model) -> bool:
        """Whether the row's state lets it change at all (pages hide their buttons)."""
        return self.frozen(row) is None

    def closed_fields(self, user: AbstractBaseUser) -> set[str]:
        """The fields ``user``'s role may not set (a page shows them read-only)."""
        closed = set(self.managed_fields)
        if not is_city_wide_writer(user):
            role = getattr(user, "role", None)
            closed |= {name for name, roles in self.restricted_fields.items() if role not in roles}
        return closed

    # ---- the steps ------------------------------------------------------------------

    def locked(self, pk: int) -> models.Model:
        return self.model._base_manager.select_for_update().get(pk=pk)

    def refuse_if_frozen(self, row: models.Model) -> None:
        if reason := self.frozen(row):
            raise ValidationError(reason, code="frozen")

    def apply(
        self,
        row: models.Model,
        values: Mapping,
        user: AbstractBaseUser,
        *,
        previous: models.Model | None,
    ) -> dict[str, list[int]]:
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
            field = field_named(meta, name)
            if field.many_to_many:
                ids = [getattr(item, "pk", item) for item in value or ()]
                current = m2m_ids(previous, field)
                related[field.name] = keep_hidden(field, current, ids, user)
                before[field.name] = set(current)
                continue
            before.setdefault(field.name, field.value_from_object(row))
            if name == field.attname and field.is_relation:
                setattr(row, name, value)
            elif isinstance(field, models.FileField) and is_new_file(value):
                take_upload(row, field, value)
            else:
                field.save_form_data(row, value)
        errors = personal.keep_masked(row, previous)
        personal.refresh_lookups(row)
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

    def validate(
        self,
        row: models.Model,
        related: dict,
        user: AbstractBaseUser,
        *,
        previous: models.Model | None,
        bulk: bool = False,
    ) -> None:
        """Every rule, each stage only if the one before passed: the fields' and the
        model's ``clean``; the door's ``check`` (its own words for a domain rule); then the
        model's constraints, the database's last line. In bulk, uniqueness is checked by
        ``save_many`` (one query a batch) and check constraints in Python."""
        try:
            refuse_what_cannot_be_stored(row)
            row.full_clean(validate_unique=False, validate_constraints=False)
            self.check(row, related, user, previous=previous)
            if bulk:
                errors: dict[str, list] = {}
                for error in check_constraints(row):
                    merge_into(errors, error)
                if errors:
                    raise ValidationError(errors)
            else:
                row.validate_unique()
                row.validate_constraints()
        except ValidationError as error:
            errors = {}
            merge_into(errors, error)
            raise ValidationError(errors) from None

    def ensure_in_scope(self, user: AbstractBaseUser, rows: Sequence) -> list:
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
