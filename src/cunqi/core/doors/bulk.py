"""Many rows through one door at once."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.dispatch import Signal
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.core import history
from cunqi.core.bulk import cache_relations, chunks
from cunqi.core.doors.checks import unique_conflicts
from cunqi.core.doors.refusals import Refusal, refusals_of, role_refusal
from cunqi.core.doors.rows import IN_CHUNK, snapshot, stored_links
from cunqi.core.permissions import allows

# Sent (sender: the model) after rows were written in bulk, which sends no post_save.
written = Signal()


class ManyRows:
    """A door's writes of many rows at once (the importer's): the same checks as one
    row's, batched, and one history entry per row with every changed field."""

    def save_many(
        self, user: AbstractBaseUser, rows: Sequence[tuple[int | None, Mapping]], *, write: bool
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
        links = stored_links(self.model, {name for _pk, values in rows for name in values}, stored)
        checked: list[tuple[int, object, object, dict]] = []
        for index, (pk, values) in enumerate(rows):
            action = "create" if pk is None else "edit"
            if not may[action]:
                refusals.append(Refusal(index, None, role_refusal(action)))
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
        cache_relations(self.model, [row for _i, row, _p, _r in checked])
        valid = []
        for index, row, previous, related in checked:
            try:
                self.validate(row, related, user, previous=previous, bulk=True)
            except ValidationError as error:
                refusals.extend(refusals_of(index, error))
                continue
            valid.append((index, row, previous, related))
        refusals.extend(unique_conflicts(self.model, [(i, row) for i, row, _p, _r in valid]))
        if write and not refusals:
            refusals.extend(self._write_many(user, valid))
        return sorted(refusals, key=lambda refusal: refusal.index)

    def _save_each(
        self, user: AbstractBaseUser, rows: Sequence[tuple[int | None, Mapping]]
    ) -> list[Refusal]:
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
                refusals.append(Refusal(index, None, role_refusal(action)))
            except Http404:
                refusals.append(Refusal(index, None, _("Not found among the rows you may change.")))
        return refusals

    def _writable_rows(
        self, user: AbstractBaseUser, pks: list[int], *, lock: bool = True
    ) -> dict[int, object]:
        """The rows ``pks`` the user may change, locked for the write that follows (a
        check only reads, outside any transaction)."""
        rows = self.model.objects.editable_by(user)
        if lock:  # the row itself: scope paths may join rows that are not there (NULL)
            rows = rows.select_for_update(of=("self",))
        found = {}
        for part in chunks(pks, IN_CHUNK):
            found.update({row.pk: row for row in rows.filter(pk__in=part)})
        return found

    def _write_many(self, user: AbstractBaseUser, valid: list) -> list[Refusal]:
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


def _history_fields(model: type[models.Model]) -> list[str]:
    registered = history.registered_fields(model)
    return [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key
        and field.name not in ("created_at", "updated_at")
        and registered(field.name)
    ]


def _changed_fields(row: models.Model, previous: models.Model) -> list[str]:
    return [
        field.name
        for field in row._meta.concrete_fields
        if field.name not in ("created_at", "updated_at")
        and getattr(row, field.attname) != getattr(previous, field.attname)
    ]


def _field_texts(model: type[models.Model]) -> Callable[[models.Model, str], object]:
    """(row, field name) → the value as the history shows it; related rows as they read,
    looked up once each."""
    names: dict[tuple[type, object], str] = {}
    fields = {field.name: field for field in model._meta.concrete_fields}

    def text(row: models.Model, name: str) -> object:
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


def _link_texts(model: type[models.Model], valid: list) -> Callable[[str, list[int]], str]:
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


def _replace_links(
    model: type[models.Model], name: str, links: list[tuple[models.Model, list[int]]]
) -> None:
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
