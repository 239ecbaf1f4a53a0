"""Rules a door checks beyond ``full_clean``: values no database or schedule takes, the
model's check constraints in Python, and uniqueness across a batch of rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from cunqi.core import constraints
from cunqi.core.bulk import chunks
from cunqi.core.doors.refusals import Refusal, refusals_of
from cunqi.core.doors.rows import IN_CHUNK

EARLIEST, LATEST = date(1900, 1, 1), date(2100, 12, 31)


def refuse_what_cannot_be_stored(row: models.Model) -> None:
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


def check_constraints(row: models.Model) -> list[ValidationError]:
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


def unique_conflicts(
    model: type[models.Model], rows: Sequence[tuple[int, models.Model]]
) -> list[Refusal]:
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


def _stored_keys(
    model: type[models.Model],
    attnames: list[str],
    constraint: models.UniqueConstraint | None,
    keys: list[tuple],
) -> dict[tuple, int]:
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
