"""The audit trail as the audit administrator reads it: the security events
(``SecurityEvent``) and the change history (django-auditlog's entries, each with the
fields' values before and after) as one list, newest first, found by user, category,
outcome, dates and text, and exported as it is found; and the archive of old events."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from auditlog.models import LogEntry
from django import forms
from django.conf import settings
from django.db import connection, transaction
from django.db.models import CharField, F, Max, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cunqi.core.models import SecurityEvent
from cunqi.core.security import mask_id_numbers

EVENT, CHANGE = "event", "change"
Category, Outcome = SecurityEvent.Category, SecurityEvent.Outcome
# What the page shows of one change; its entry holds every value.
SHOWN_CHANGES = 400


class TrailFilter(forms.Form):
    user = forms.CharField(label=gettext_lazy("user"), max_length=150, required=False)
    category = forms.ChoiceField(
        label=gettext_lazy("category"),
        choices=[("", gettext_lazy("all")), *Category.choices],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("outcome"),
        choices=[("", gettext_lazy("all")), *Outcome.choices],
        required=False,
    )
    since = forms.DateField(
        label=gettext_lazy("since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=gettext_lazy("containing"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("an event, an address, an object or a value"),
    )

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end comes before the start."))
        return data


@dataclass(frozen=True)
class Search:
    user: str = ""
    category: str = ""
    outcome: str = ""
    since: date | None = None
    until: date | None = None
    text: str = ""


@dataclass(frozen=True)
class Line:
    at: datetime
    source: str  # EVENT or CHANGE
    what: str  # the event, or the change's action and object
    category: str
    outcome: str
    username: str
    address: str
    details: str
    url: str  # the full record in the admin site


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events(search: Search) -> QuerySet[SecurityEvent]:
    found = SecurityEvent.objects.all()
    if search.user:
        found = found.filter(username__iexact=search.user)
    if search.category:
        found = found.filter(category=search.category)
    if search.outcome:
        found = found.filter(outcome=search.outcome)
    if search.since:
        found = found.filter(at__gte=_day_start(search.since))
    if search.until:
        found = found.filter(at__lt=_day_start(search.until + timedelta(days=1)))
    if search.text:
        found = found.filter(
            Q(kind__icontains=search.text)
            | Q(details__icontains=search.text)
            | Q(address__icontains=search.text)
            | Q(path__icontains=search.text)
        )
    return found


def changes(search: Search) -> QuerySet[LogEntry]:
    """The change history's entries: every change succeeded, or it would not be there."""
    found = LogEntry.objects.all()
    if search.category not in ("", Category.CHANGE) or search.outcome not in ("", Outcome.SUCCESS):
        return found.none()
    if search.user:
        found = found.filter(actor__username__iexact=search.user)
    if search.since:
        found = found.filter(timestamp__gte=_day_start(search.since))
    if search.until:
        found = found.filter(timestamp__lt=_day_start(search.until + timedelta(days=1)))
    if search.text:
        found = found.filter(
            Q(object_repr__icontains=search.text)
            | Q(changes_text__icontains=search.text)
            | Q(content_type__model__icontains=search.text)
        )
    return found


def trail(search: Search) -> QuerySet:
    """(at, source, id) of every line found, newest first: a query that pages and counts
    in the database, whose lines ``lines`` then reads."""
    found = (
        events(search)
        .order_by()
        .annotate(source=Value(EVENT, output_field=CharField()))
        .values_list("at", "source", "id")
    )
    changed = (
        changes(search)
        .order_by()
        .annotate(when=F("timestamp"), source=Value(CHANGE, output_field=CharField()))
        .values_list("when", "source", "id")
    )
    return found.union(changed, all=True).order_by("-at", "-source", "-id")


def lines(keys: list[tuple[datetime, str, int]]) -> list[Line]:
    """The lines of these keys, in their order, each read with one query per source."""
    wanted = {EVENT: [], CHANGE: []}
    for _at, source, pk in keys:
        wanted[source].append(pk)
    read = {
        (EVENT, e.pk): _event_line(e) for e in SecurityEvent.objects.filter(pk__in=wanted[EVENT])
    }
    entries = LogEntry.objects.filter(pk__in=wanted[CHANGE]).select_related("actor", "content_type")
    read |= {(CHANGE, e.pk): _change_line(e) for e in entries}
    return [read[source, pk] for _at, source, pk in keys]


def every_line(search: Search, chunk: int = 2000) -> Iterator[Line]:
    """Every line found, newest first, read a chunk at a time (for the export)."""
    keys = trail(search)
    start = 0
    while page := list(keys[start : start + chunk]):
        yield from lines(page)
        start += chunk


def _event_line(event: SecurityEvent) -> Line:
    return Line(
        at=event.at,
        source=EVENT,
        what=event.kind,
        category=event.get_category_display(),
        outcome=event.get_outcome_display(),
        username=event.username,
        address=event.address,
        details=" ".join(part for part in (event.path, event.details) if part),
        url=reverse("admin:core_securityevent_change", args=[event.pk]),
    )


ACTIONS = {
    LogEntry.Action.CREATE: pgettext_lazy("a row's change", "created"),
    LogEntry.Action.UPDATE: pgettext_lazy("a row's change", "changed"),
    LogEntry.Action.DELETE: pgettext_lazy("a row's change", "deleted"),
}


def _change_line(entry: LogEntry) -> Line:
    model = entry.content_type.model_class() if entry.content_type_id else None
    name = model._meta.verbose_name if model else entry.content_type.model
    action = ACTIONS.get(entry.action, entry.get_action_display())
    return Line(
        at=entry.timestamp,
        source=CHANGE,
        what=f"{action} {name} «{entry.object_repr}»",
        category=Category.CHANGE.label,
        outcome=Outcome.SUCCESS.label,
        username=entry.actor.get_username() if entry.actor_id else "",
        address=entry.remote_addr or "",
        details=mask_id_numbers(describe_changes(entry.changes_dict)),
        url=reverse("admin:auditlog_logentry_change", args=[entry.pk]),
    )


def describe_changes(changed: dict) -> str:
    """``field: before → after`` for each field, as the page shows a change."""
    said = "; ".join(
        f"{field}: {_value(values[0])} → {_value(values[1])}"
        for field, values in changed.items()
        if isinstance(values, list | tuple)
        and len(values) == 2
        and _value(values[0]) != _value(values[1])
    )
    return said if len(said) <= SHOWN_CHANGES else said[: SHOWN_CHANGES - 1] + "…"


def _value(value: object) -> str:
    # auditlog writes an empty relation of a new row as "app.Model.None".
    empty = value in (None, "None", "") or str(value).endswith(".None")
    return "∅" if empty else str(value)


# The archive: security events older than the retention period move to a gzipped file
# of JSON lines, signed with a key kept outside the database. The change history is the
# programme's own record, shown on each row's history page, and is kept for good.
ARCHIVE_FORMAT = "cunqi-audit-archive/1"
MINIMUM_RETENTION_DAYS = 180  # 网络安全法 §21: at least six months; the database holds to it
FIELDS = (
    "id",
    "at",
    "kind",
    "category",
    "outcome",
    "user_id",
    "username",
    "address",
    "path",
    "request_id",
    "details",
)


@dataclass(frozen=True)
class Archived:
    path: Path | None  # None when nothing was old enough
    count: int
    before: datetime


def retention_days() -> int:
    return max(settings.CUNQI_AUDIT_RETENTION_DAYS, MINIMUM_RETENTION_DAYS)


def archive(directory: Path, now: datetime | None = None) -> Archived:
    """Move the events older than the retention period to a signed file in ``directory``:
    the file is written and flushed to disk first, and the events leave the database only
    if exactly those it holds can be removed."""
    before = (now or timezone.now()) - timedelta(days=retention_days())
    old = SecurityEvent.objects.filter(at__lt=before).order_by("pk")
    last = old.aggregate(last=Max("pk"))["last"]
    if last is None:
        return Archived(None, 0, before)
    old = old.filter(pk__lte=last)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"audit-{timezone.localtime(before):%Y%m%d-%H%M%S}.jsonl.gz"
    partial = path.with_suffix(".partial")
    count = 0
    with partial.open("wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as packed:
            header = {"format": ARCHIVE_FORMAT, "before": before.isoformat()}
            packed.write(_json_line(header))
            for row in old.values_list(*FIELDS).iterator(chunk_size=5000):
                event = dict(zip(FIELDS, row, strict=True))
                event["at"] = event["at"].isoformat()
                packed.write(_json_line(event))
                count += 1
        raw.flush()
        os.fsync(raw.fileno())
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL cunqi.archiving = 'on'")
        removed, _by_model = old.delete()
        if removed != count:
            partial.unlink()
            raise RuntimeError(f"{count} events written but {removed} to remove: nothing removed")
        partial.rename(path)
        _signature(path).write_text(json.dumps(_sign(path, count), indent=1))
    return Archived(path, count, before)


def verify(path: Path) -> tuple[bool, int]:
    """Whether the archive file is as it was signed, and how many events it holds."""
    try:
        signed = json.loads(_signature(path).read_text())
    except (OSError, ValueError):
        return False, 0
    expected = _sign(path, signed.get("count", 0))
    good = all(
        hmac.compare_digest(str(signed.get(key, "")), str(expected[key]))
        for key in ("sha256", "hmac", "count")
    )
    return good, signed.get("count", 0)


def read_archive(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        header = json.loads(next(lines))
        if header.get("format") != ARCHIVE_FORMAT:
            raise ValueError(f"{path} is not an audit archive")
        for line in lines:
            yield json.loads(line)


def _json_line(value: dict) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _signature(path: Path) -> Path:
    return path.with_name(path.name + ".sig")


def _sign(path: Path, count: int) -> dict:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    key = settings.CUNQI_AUDIT_ARCHIVE_KEY or settings.SECRET_KEY
    mac = salted_hmac(
        "cunqi.audit.archive", f"{path.name}:{count}:{digest}", secret=key, algorithm="sha256"
    ).hexdigest()
    return {"file": path.name, "count": count, "sha256": digest, "hmac": mac}
