"""History for writes that bypass ``save()``.

django-auditlog records a row's change when the row is saved or deleted; ``update()``,
``bulk_create()`` and ``bulk_update()`` on its queryset escape it. A service that writes an
audited model in bulk therefore does it inside ``recorded()`` and records what it changed
itself (``record_updates``, or as the Excel importer does), in the form auditlog gives its
own entries (``{"field": ["old", "new"]}``), so the row's page shows it like any other
change. ``guard_bulk_writes()`` makes any other bulk write on an audited model fail; the
test suite switches it on, so a new unrecorded bulk write fails CI.
"""

import sys
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from pathlib import Path

import django
from auditlog.context import auditlog_disabled
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

BATCH = 2000
DJANGO = str(Path(django.__file__).parent)
PLATFORM = str(Path(__file__).parent.parent)
BULK_WRITES = ("update", "bulk_create", "bulk_update")
_recorded = ContextVar("cunqi_history_recorded", default=False)


class UnrecordedWrite(RuntimeError):
    pass


@contextmanager
def recorded():
    """Around bulk writes on audited models whose history the caller records itself."""
    token = _recorded.set(True)
    try:
        yield
    finally:
        _recorded.reset(token)


def registered_fields(model) -> Callable[[str], bool]:
    """Whether a field of ``model`` is one its history shows (the registration may leave
    some out, e.g. a run's progress)."""
    if not auditlog.contains(model):
        return lambda name: False
    registered = auditlog.get_model_fields(model)
    include, exclude = registered["include_fields"], registered["exclude_fields"]
    return lambda name: name not in exclude and (not include or name in include)


def _tracked(model, fields) -> bool:
    """Whether writing ``fields`` (None: every field) of ``model`` is a change its history
    must show; fields the registration leaves out (a run's progress) are not."""
    if not auditlog.contains(model):
        return False
    return fields is None or any(map(registered_fields(model), fields))


def check_bulk_write(model, fields=None) -> None:
    if _tracked(model, fields) and not _recorded.get() and not auditlog_disabled.get():
        raise UnrecordedWrite(
            f"{model._meta.label}: a bulk write on an audited model escapes its history; "
            "do it inside cunqi.core.history.recorded() and record the change"
        )


def _written_fields(name: str, args: tuple, kwargs: dict):
    if name == "update":
        return kwargs.keys()
    if name == "bulk_update":
        return args[1] if len(args) > 1 else kwargs["fields"]
    return None  # bulk_create writes every field


def _written_by_the_platform() -> bool:
    """Whether the code asking for the write (the first caller outside Django) is the
    platform's own; a test arranging its data is not held to the rule."""
    frame = sys._getframe(2)
    while frame and frame.f_code.co_filename.startswith(DJANGO):
        frame = frame.f_back
    return bool(frame) and frame.f_code.co_filename.startswith(PLATFORM)


def guard_bulk_writes() -> None:
    """Make every bulk write of the platform's code on an audited model outside
    ``recorded()`` raise UnrecordedWrite (the test suite turns this on)."""
    for name in BULK_WRITES:
        write = getattr(QuerySet, name)
        if getattr(write, "guarded", False):
            continue

        @wraps(write)
        def guarded(queryset, *args, _write=write, _name=name, **kwargs):
            if _written_by_the_platform():
                check_bulk_write(queryset.model, _written_fields(_name, args, kwargs))
            return _write(queryset, *args, **kwargs)

        guarded.guarded = True
        setattr(QuerySet, name, guarded)


def _record(model, changes: Mapping[object, Mapping[str, tuple]], action, actor, *, at=None):
    """One entry per row of ``changes`` (row → {field: (old, new)}); the rows read as
    their ``__str__`` (select the relations it uses)."""
    content_type = ContentType.objects.get_for_model(model)
    at = at or timezone.now()
    # A related row is kept as it reads: auditlog keeps its key, and looks each one up
    # again every time the history is shown.
    LogEntry.objects.bulk_create(
        (
            LogEntry(
                content_type=content_type,
                object_pk=str(row.pk),
                object_id=row.pk,
                object_repr=str(row)[:200],
                action=action,
                changes={name: [str(old), str(new)] for name, (old, new) in fields.items()},
                actor=actor,
                timestamp=at,
            )
            for row, fields in changes.items()
        ),
        batch_size=BATCH,
    )


def record_changes(changes: Mapping[object, Mapping[str, tuple]], actor, *, at=None) -> None:
    """Each row's own change (row → {field: (old, new)}); rows without one are skipped."""
    changes = {row: fields for row, fields in changes.items() if fields}
    if changes:
        model = type(next(iter(changes)))
        _record(model, changes, LogEntry.Action.UPDATE, actor, at=at)


def record_updates(rows, changes: Mapping[str, tuple], actor, *, at=None) -> None:
    """The same change (field → (old, new)) made to every row."""
    record_changes(dict.fromkeys(rows, changes), actor, at=at)


def record_creates(rows, fields, actor, *, at=None) -> None:
    """New rows, with the values of their ``fields``."""
    record_creates_as(
        {row: {name: getattr(row, name) for name in fields} for row in rows}, actor, at=at
    )


def record_creates_as(created: Mapping[object, Mapping[str, object]], actor, *, at=None) -> None:
    """New rows, each with its fields' values as they should read (row → {field: value})."""
    if created:
        model = type(next(iter(created)))
        changes = {
            row: {name: (None, value) for name, value in fields.items()}
            for row, fields in created.items()
        }
        _record(model, changes, LogEntry.Action.CREATE, actor, at=at)
