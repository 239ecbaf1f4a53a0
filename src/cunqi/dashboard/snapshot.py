"""The whole-programme cockpit snapshot: computed by a task, refreshed after writes.

How it stays correct: every save, delete or many-to-many change of a model the cockpit
counts marks the snapshot stale once the transaction commits, and the first such write
enqueues a refresh task. The task clears the mark *before* computing, so a write made
while it computes marks it stale again and enqueues another refresh. Bulk loaders that
bypass signals (demo, synth, imports) call ``refresh()`` themselves, and a snapshot older
than ``MAX_AGE`` is refreshed on the next read whatever happened (raw SQL, restores).
"""

import typing
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django_tasks import task

from cunqi.core.models import CooperationModel, Industry
from cunqi.dashboard import maps, selectors
from cunqi.dashboard.models import Snapshot
from cunqi.registry.models import Village, Zone

KEY = "programme"
MAX_AGE = timedelta(hours=1)
# Raised whenever the payload's shape changes, so a snapshot stored by an older release is
# recomputed on first read instead of decoded wrongly.
VERSION = 5


def compute() -> dict:
    collective = selectors.collective_income(None)
    headline = selectors.headline(None, collective)
    return {
        "version": VERSION,
        "headline": {name: str(value) for name, value in asdict(headline).items()},
        "investment_by_month": [
            [month.isoformat(), str(amount)]
            for month, amount in selectors.investment_by_month(None)
        ],
        "projects_by_model": [[item.pk, n] for item, n in selectors.projects_by_model(None)],
        "projects_by_industry": [[item.pk, n] for item, n in selectors.projects_by_industry(None)],
        "projects_by_zone": [[zone.pk, n] for zone, n in selectors.projects_by_zone(None)],
        "pairings_by_zone": [[zone.pk, n] for zone, n in selectors.pairings_by_zone(None)],
        "collective_income_ranking": [
            [village.pk, str(amount)] for village, amount in collective.ranking()
        ],
        # The public page's map, computed here so that an anonymous visit queries nothing.
        "public_map": maps.public_towns(),
    }


def refresh() -> Snapshot:
    Snapshot.objects.update_or_create(key=KEY, defaults={"is_stale": False})
    payload = compute()
    snapshot = Snapshot.objects.get(key=KEY)
    snapshot.payload = payload
    snapshot.computed_at = timezone.now()
    snapshot.save(update_fields=["payload", "computed_at"])
    return snapshot


@task()
def refresh_cockpit() -> None:
    refresh()


def _mark_stale_and_enqueue() -> None:
    # Only the write that flips the mark enqueues, so a burst of writes is one refresh.
    if Snapshot.objects.filter(key=KEY, is_stale=False).update(is_stale=True):
        refresh_cockpit.enqueue()


def request_refresh() -> None:
    """Called on every write of a counted model: refresh once the write has committed."""
    transaction.on_commit(_mark_stale_and_enqueue)


def load() -> Snapshot:
    snapshot = Snapshot.objects.filter(key=KEY).first()
    if (
        snapshot is None
        or snapshot.computed_at is None
        or snapshot.payload.get("version") != VERSION
    ):
        return refresh()
    if timezone.now() - snapshot.computed_at > MAX_AGE:
        _mark_stale_and_enqueue()
    return snapshot


def public_layers(payload: dict) -> maps.Layers:
    """The public map's paired villages per town, as the snapshot stored them."""
    return maps.public_layers([tuple(town) for town in payload["public_map"]])


def decode(payload: dict) -> selectors.CockpitData:
    """The cockpit's data from a stored snapshot, with rows fetched by id."""
    types = typing.get_type_hints(selectors.Headline)
    raw = payload["headline"]
    headline = selectors.Headline(
        **{
            name: Decimal(raw[name]) if types[name] is Decimal else int(raw[name])
            for name in selectors.Headline.__dataclass_fields__
        }
    )

    def rows(model_or_queryset: type[Model] | QuerySet, pairs: Mapping[str, str]):
        queryset = getattr(model_or_queryset, "objects", model_or_queryset)
        objects = queryset.in_bulk([pk for pk, _n in pairs])
        return [(objects[pk], n) for pk, n in pairs if pk in objects]

    return selectors.CockpitData(
        headline=headline,
        investment_by_month=[
            (date.fromisoformat(month), Decimal(amount))
            for month, amount in payload["investment_by_month"]
        ],
        projects_by_model=rows(CooperationModel, payload["projects_by_model"]),
        projects_by_industry=rows(Industry, payload["projects_by_industry"]),
        projects_by_zone=rows(Zone, payload["projects_by_zone"]),
        pairings_by_zone=rows(Zone, payload["pairings_by_zone"]),
        collective_income_ranking=[
            (village, Decimal(amount))
            for village, amount in rows(
                Village.objects.select_related("town"),
                payload["collective_income_ranking"],
            )
        ],
    )
