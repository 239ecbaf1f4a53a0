"""A row's stored values and links as a door reads and changes them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.options import Options

from cunqi.core import uploads
from cunqi.core.bulk import IN_CHUNK, chunks


def field_named(meta: Options, name: str) -> models.Field:
    try:
        return meta.get_field(name)
    except Exception:
        for field in meta.concrete_fields:
            if field.attname == name:
                return field
        raise ValueError(f"{meta.label} has no field {name!r}") from None


def is_new_file(value: object) -> bool:
    """An uploaded or built file, not the row's stored one coming back unchanged."""
    return isinstance(value, File) and not isinstance(value, FieldFile)


def take_upload(row: models.Model, field: models.FileField, upload: File) -> None:
    """A new file, checked (type by content, size, archives) before it is kept; the name
    its uploader gave it is kept beside it where the row has room for one."""
    try:
        uploads.validate_upload(upload)
    except ValidationError as error:
        raise ValidationError({field.name: error.messages}) from None
    field.save_form_data(row, upload)
    if any(f.name == "file_name" for f in row._meta.concrete_fields):
        row.file_name = uploads.clean_name(upload.name)


def snapshot(row: models.Model) -> models.Model:
    """An unsaved copy of ``row``'s stored values (what a change is compared with)."""
    fields = row._meta.concrete_fields
    copy = type(row).from_db(
        row._state.db, [f.attname for f in fields], [getattr(row, f.attname) for f in fields]
    )
    copy._m2m = {}
    return copy


def stored_ids(field: models.ManyToManyField, pks: Iterable[int]) -> dict[int, list[int]]:
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


def stored_links(
    model: type[models.Model], names: set[str], stored: Mapping[int, models.Model]
) -> dict[str, dict[int, list[int]]]:
    fields = [field for field in model._meta.many_to_many if field.name in names]
    return {field.name: stored_ids(field, list(stored)) for field in fields}


def m2m_ids(previous: models.Model | None, field: models.ManyToManyField) -> list[int]:
    if previous is None:
        return []
    if field.name not in previous._m2m:
        previous._m2m[field.name] = stored_ids(field, [previous.pk]).get(previous.pk, [])
    return previous._m2m[field.name]


def keep_hidden(
    field: models.ManyToManyField,
    current: Iterable[int],
    chosen: Iterable[int],
    user: AbstractBaseUser,
) -> list[int]:
    target = field.related_model
    current = list(current)
    if not current or not hasattr(target.objects, "visible_to"):
        return list(dict.fromkeys(chosen))
    seen = set(target.objects.visible_to(user).filter(pk__in=current).values_list("pk", flat=True))
    hidden = [pk for pk in current if pk not in seen]
    return list(dict.fromkeys([*chosen, *hidden]))
