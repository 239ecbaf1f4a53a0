"""History for writes that bypass ``save()``.

django-auditlog records a row's change when the row is saved or deleted; ``update()``,
``bulk_create()`` and ``bulk_update()`` on its queryset escape it. A service that writes an
audited model in bulk (a door's ``save_many``, the cards' evaluation) therefore does it
inside ``recorded()`` and records what it changed itself (``record_changes`` and its kin),
in the form auditlog gives its own entries (``{"field": ["old", "new"]}``), so the row's
page shows it like any other change.

Every audited model's queryset is a ``RecordedQuerySet`` (scoped models' through
``ScopedQuerySet``), which refuses any other bulk write of a field its history shows,
in production as in the tests: a write that escapes the history cannot be shipped by
mistake. Code that must write without history (a migration, data arranged by a test)
says so with auditlog's ``disable_auditlog()``.
"""

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from auditlog.context import auditlog_disabled, disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from cunqi.core.bulk import insert_rows

BATCH = 2000
_recorded = ContextVar("cunqi_history_recorded", default=False)


class UnrecordedWrite(RuntimeError):
    pass


@contextmanager
def recorded() -> Iterator[None]:
    """Around bulk writes on audited models whose history the caller records itself."""
    token = _recorded.set(True)
    try:
        yield
    finally:
        _recorded.reset(token)


def registered_fields(model: type[models.Model]) -> Callable[[str], bool]:
    """Whether a field of ``model`` is one its history shows (the registration may leave
    some out, e.g. a run's progress)."""
    if not auditlog.contains(model):
        return lambda name: False
    registered = auditlog.get_model_fields(model)
    include, exclude = registered["include_fields"], registered["exclude_fields"]
    return lambda name: name not in exclude and (not include or name in include)


def _tracked(model: type[models.Model], fields: Collection[str] | None) -> bool:
    """Whether writing ``fields`` (None: every field) of ``model`` is a change its history
    must show; fields the registration leaves out (a run's progress) are not."""
    if not auditlog.contains(model):
        return False
    return fields is None or any(map(registered_fields(model), fields))


def check_bulk_write(model: type[models.Model], fields: Collection[str] | None = None) -> None:
    if _tracked(model, fields) and not _recorded.get() and not auditlog_disabled.get():
        raise UnrecordedWrite(
            f"{model._meta.label}: a bulk write on an audited model escapes its history; "
            "do it inside cunqi.core.history.recorded() and record the change"
        )


class RecordedQuerySet(models.QuerySet):
    """A queryset whose bulk writes on an audited model run only where their history is
    recorded (``recorded()``) or deliberately not kept (``disable_auditlog()``)."""

    def update(self, **kwargs: object) -> int:
        check_bulk_write(self.model, kwargs.keys())
        return super().update(**kwargs)

    def bulk_create(self, objs: Iterable[models.Model], *args: object, **kwargs: object) -> list:
        check_bulk_write(self.model)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(
        self, objs: Iterable[models.Model], fields: Collection[str], *args: object, **kwargs: object
    ) -> int:
        check_bulk_write(self.model, fields)
        return super().bulk_update(objs, fields, *args, **kwargs)


class RecordedManager(models.Manager.from_queryset(RecordedQuerySet)):
    pass


def save_with_links(
    row: models.Model, links: Mapping[models.Field, Collection[int]], actor: AbstractBaseUser | None
) -> None:
    """Save ``row`` and set its many-to-many ``links`` (field → ids) as one change with
    one history entry, in auditlog's own form (its diff of the row, plus each link that
    changed as [before, after]), instead of one entry for the row and one per link."""
    if not links:
        row.save()
        return
    model = type(row)
    adding = row._state.adding or row.pk is None
    old = None if adding else model._base_manager.filter(pk=row.pk).first()
    before = {
        field: [] if adding else list(getattr(row, field.name).values_list("pk", flat=True))
        for field in links
    }
    with disable_auditlog():
        row.save()
        for field, ids in links.items():
            getattr(row, field.name).set(ids)
    if not auditlog.contains(model):
        return
    changes = (
        model_instance_diff(old, row, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES)
        or {}
    )
    # The fields registered as recorded many-to-many (auditlog has no public reader).
    for name in auditlog._registry[model]["m2m_fields"]:
        field = model._meta.get_field(name)
        if field in links and set(before[field]) != set(links[field]):
            changes[name] = [_linked(field, before[field]), _linked(field, links[field])]
    if changes or adding:
        LogEntry.objects.log_create(
            row,
            force_log=adding,
            action=LogEntry.Action.CREATE if adding else LogEntry.Action.UPDATE,
            changes=changes,
            **({"actor": actor} if getattr(actor, "pk", None) else {}),
        )


def _linked(field: models.Field, ids: Iterable[int]) -> str:
    rows = field.related_model._base_manager.in_bulk(list(ids))
    return "、".join(str(rows[pk]) for pk in ids if pk in rows)


def _record(
    model: type[models.Model],
    entries: Iterable[tuple[int, str, Mapping[str, tuple]]],
    action: int,
    actor: AbstractBaseUser | None,
    *,
    at: datetime | None = None,
) -> None:
    """One entry per (row's pk, how the row reads, {field: (old, new)})."""
    content_type = ContentType.objects.get_for_model(model)
    at = at or timezone.now()
    actor_id = getattr(actor, "pk", None)
    # Plain tuples through COPY (executemany on SQLite): a matching run records some
    # 15,000 entries at once, and bulk_create spends most of its time building them.
    # A related row is kept as it reads: auditlog keeps its key, and looks each one up
    # again every time the history is shown. The rows are read first: how a row reads
    # may take a query, and COPY holds the connection until its last row.
    rows = [
        (
            content_type.pk,
            str(pk),
            pk,
            text[:200],
            action,
            "",
            {name: [str(old), str(new)] for name, (old, new) in fields.items()},
            actor_id,
            at,
        )
        for pk, text, fields in entries
    ]
    insert_rows(LogEntry, ENTRY_FIELDS, rows)


ENTRY_FIELDS = (
    "content_type",
    "object_pk",
    "object_id",
    "object_repr",
    "action",
    "changes_text",
    "changes",
    "actor",
    "timestamp",
)


def record_changes(
    changes: Mapping[models.Model, Mapping[str, tuple]],
    actor: AbstractBaseUser | None,
    *,
    at: datetime | None = None,
) -> None:
    """Each row's own change (row → {field: (old, new)}); rows without one are skipped."""
    changes = {row: fields for row, fields in changes.items() if fields}
    if changes:
        model = type(next(iter(changes)))
        entries = ((row.pk, str(row), fields) for row, fields in changes.items())
        _record(model, entries, LogEntry.Action.UPDATE, actor, at=at)


def record_updates(
    rows: Iterable[models.Model],
    changes: Mapping[str, tuple],
    actor: AbstractBaseUser | None,
    *,
    at: datetime | None = None,
) -> None:
    """The same change (field → (old, new)) made to every row."""
    record_changes(dict.fromkeys(rows, changes), actor, at=at)


def record_creates(
    rows: Iterable[models.Model],
    fields: Iterable[str],
    actor: AbstractBaseUser | None,
    *,
    at: datetime | None = None,
) -> None:
    """New rows, with the values of their ``fields``."""
    record_creates_as(
        {row: {name: getattr(row, name) for name in fields} for row in rows}, actor, at=at
    )


def record_creates_as(
    created: Mapping[models.Model, Mapping[str, object]],
    actor: AbstractBaseUser | None,
    *,
    at: datetime | None = None,
) -> None:
    """New rows, each with its fields' values as they should read (row → {field: value});
    the rows read as their ``__str__`` (select the relations it uses)."""
    if created:
        model = type(next(iter(created)))
        record_stored_creates(
            model,
            ((row.pk, str(row), fields) for row, fields in created.items()),
            actor,
            at=at,
        )


def record_stored_creates(
    model: type[models.Model],
    created: Iterable[tuple[int, str, Mapping[str, object]]],
    actor: AbstractBaseUser | None,
    *,
    at: datetime | None = None,
) -> None:
    """New rows stored without instances, each as (pk, how it reads, {field: value})."""
    entries = (
        (pk, text, {name: (None, value) for name, value in fields.items()})
        for pk, text, fields in created
    )
    _record(model, entries, LogEntry.Action.CREATE, actor, at=at)


# ---- reading it -----------------------------------------------------------------------

HISTORY_ACTIONS = {
    LogEntry.Action.CREATE: pgettext_lazy("history", "created"),
    LogEntry.Action.UPDATE: pgettext_lazy("history", "changed"),
    LogEntry.Action.DELETE: pgettext_lazy("history", "deleted"),
    LogEntry.Action.ACCESS: pgettext_lazy("history", "read"),
}


def history_of(obj: models.Model, limit: int = 50) -> list[dict]:
    """The row's recorded changes, newest first, in the reader's language. django-auditlog
    also records reverse relations (a distribution's "payouts: None → …Payout.None"), which
    say nothing to a reader: only the row's own fields are shown."""
    own = {
        str(getattr(field, "verbose_name", field.name))
        for field in obj._meta.get_fields()
        if field.concrete or (field.many_to_many and not field.auto_created)
    }
    entries = (
        LogEntry.objects.get_for_object(obj)
        .select_related("actor", "content_type")
        .order_by("-timestamp")
    )
    return [
        {
            "action": HISTORY_ACTIONS.get(entry.action, entry.get_action_display()),
            "timestamp": entry.timestamp,
            "actor": entry.actor,
            "changes": [
                (name, *_change_as_read(change, created=entry.action == LogEntry.Action.CREATE))
                for name, change in entry.changes_display_dict.items()
                if name in own
            ],
        }
        for entry in entries[:limit]
    ]


def _change_as_read(change: object, *, created: bool) -> tuple[object, object]:
    """(what it was, what it became) as a reader takes it: a new row's fields have no
    "before", and an empty value reads as a dash, not "None"."""
    if not isinstance(change, list | tuple) or len(change) != 2:
        return None, change
    old, new = ("—" if value in (None, "None", "") else value for value in change)
    return (None if created else old), new
