"""Matching runs: the platform's rows into ``cunqi.matching``'s arrays and back.

What goes in: the villages of the run's scope and every enterprise of the city, with
their coordinates; their resources summed by kind and direction; each village's
affinity for an industry (1 when one of its projects is in that industry, else how much
its resources resemble those of the villages already paired with enterprises of that
industry, see ``scoring.affinity_from_examples``); each
enterprise's capacity (how many villages it can take on). With ``keep_existing``, open
pairings are fixed pairs, and open pairings outside the scope use up their enterprise's
capacity. Villages or enterprises without coordinates get no recommendation; the run's
message says how many.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import FloatField, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cunqi.core import history
from cunqi.core.bulk import insert_rows
from cunqi.core.models import Industry, ResourceKind
from cunqi.matching import assign
from cunqi.matching.scoring import (
    Enterprises,
    Scorer,
    Villages,
    Weights,
    affinity_from_examples,
    candidates,
    explain,
)
from cunqi.pairing.models import MatchingRun, Pairing, Recommendation
from cunqi.projects.models import Project
from cunqi.registry.models import Enterprise, Resource, Village

ALTERNATIVES = 3


@dataclass
class Instance:
    village_ids: np.ndarray
    enterprise_ids: np.ndarray
    kind_codes: list[str]
    villages: Villages
    enterprises: Enterprises
    capacity: np.ndarray
    open_pairs: list[tuple[int, int]]  # open pairings in scope, as indices
    fixed: list[tuple[int, int]]  # the open pairs kept (``keep_existing``), or none


def scope_villages(run: MatchingRun):
    villages = Village.objects.all()
    if run.town_id:
        return villages.filter(town=run.town_id)
    if run.zone_id:
        return villages.filter(town__zone=run.zone_id)
    return villages


def weights(run: MatchingRun) -> Weights:
    return Weights(
        complementarity=run.complementarity_weight,
        industry=run.industry_weight,
        proximity=run.proximity_weight,
        distance_scale_km=run.distance_scale_km,
        max_distance_km=run.max_distance_km,
    )


def _coordinates(rows: Sequence) -> tuple[np.ndarray, np.ndarray]:
    latitude = np.array([np.nan if lat is None else float(lat) for lat, _lon in rows])
    longitude = np.array([np.nan if lon is None else float(lon) for _lat, lon in rows])
    return latitude, longitude


def _resources(
    owner: str, owners: QuerySet, ids: np.ndarray, kinds: dict[int, int]
) -> dict[str, np.ndarray]:
    """Each owner's quantities by direction and kind, summed by the database: the owners
    as a subquery (a province's 16,000 ids as parameters took longer to compile than the
    query to run), the sums as floats (no Decimal made for each of 100,000 rows)."""
    index = {pk: i for i, pk in enumerate(ids.tolist())}
    quantities = {
        direction: np.zeros((len(ids), len(kinds)))
        for direction in (Resource.Direction.OFFERS, Resource.Direction.NEEDS)
    }
    rows = (
        Resource.objects.filter(**{f"{owner}__in": owners.values("pk")})
        .values_list(owner, "kind", "direction")
        .annotate(total=Sum("quantity", output_field=FloatField()))
        .order_by()
    )
    for owner_id, kind, direction, total in rows:
        quantities[direction][index[owner_id], kinds[kind]] += float(total)
    return quantities


def build_instance(run: MatchingRun) -> Instance:
    kinds = dict(ResourceKind.objects.order_by("pk").values_list("pk", "code"))
    kind_index = {pk: i for i, pk in enumerate(kinds)}
    industry_index = {
        pk: i for i, pk in enumerate(Industry.objects.order_by("pk").values_list("pk", flat=True))
    }
    village_rows = list(
        scope_villages(run).order_by("pk").values_list("pk", "latitude", "longitude")
    )
    enterprise_rows = list(
        Enterprise.objects.order_by("pk").values_list(
            "pk", "latitude", "longitude", "industry", "village_capacity"
        )
    )
    village_ids = np.array([row[0] for row in village_rows], dtype=np.int64)
    enterprise_ids = np.array([row[0] for row in enterprise_rows], dtype=np.int64)
    v_index = {pk: i for i, pk in enumerate(village_ids.tolist())}
    e_index = {pk: j for j, pk in enumerate(enterprise_ids.tolist())}

    capacity = np.array([row[4] for row in enterprise_rows], dtype=np.int64)
    open_pairs, outside = set(), defaultdict(int)
    for village, enterprise in Pairing.objects.filter(status__in=Pairing.OPEN_STATUSES).values_list(
        "village", "enterprise"
    ):
        if village in v_index:
            open_pairs.add((v_index[village], e_index[enterprise]))
        else:
            outside[e_index[enterprise]] += 1
    if run.keep_existing:
        in_scope = defaultdict(int)
        for _v, j in open_pairs:
            in_scope[j] += 1
        for j in range(len(capacity)):
            # Data may hold more pairings than an enterprise's stated capacity: keep them.
            capacity[j] = max(capacity[j] - outside[j], in_scope[j], 0)

    v_lat, v_lon = _coordinates([row[1:3] for row in village_rows])
    e_lat, e_lon = _coordinates([row[1:3] for row in enterprise_rows])
    village_resources = _resources("village", scope_villages(run), village_ids, kind_index)
    enterprise_resources = _resources(
        "enterprise", Enterprise.objects.all(), enterprise_ids, kind_index
    )
    enterprise_industry = np.array(
        [industry_index.get(row[3], -1) for row in enterprise_rows], dtype=np.int64
    )
    examples = np.array(sorted(open_pairs), dtype=np.int64).reshape(-1, 2)
    affinity = affinity_from_examples(
        village_resources[Resource.Direction.OFFERS],
        examples[:, 0],
        enterprise_industry[examples[:, 1]],
        len(industry_index),
    )
    for village, industry in Project.villages.through.objects.filter(
        village__in=scope_villages(run).values("pk")
    ).values_list("village", "project__industry"):
        if industry is not None:
            affinity[v_index[village], industry_index[industry]] = 1.0
    return Instance(
        village_ids=village_ids,
        enterprise_ids=enterprise_ids,
        kind_codes=list(kinds.values()),
        villages=Villages(
            latitude=v_lat,
            longitude=v_lon,
            offers=village_resources[Resource.Direction.OFFERS],
            needs=village_resources[Resource.Direction.NEEDS],
            industry_affinity=affinity,
        ),
        enterprises=Enterprises(
            latitude=e_lat,
            longitude=e_lon,
            needs=enterprise_resources[Resource.Direction.NEEDS],
            offers=enterprise_resources[Resource.Direction.OFFERS],
            industry=enterprise_industry,
        ),
        capacity=capacity,
        open_pairs=sorted(open_pairs),
        fixed=sorted(open_pairs) if run.keep_existing else [],
    )


def _progress(run: MatchingRun, percent: int, **fields: object) -> None:
    """Move the run's progress bar (left out of its history) and save what else changed."""
    run.progress = percent
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["progress", *fields])


def execute(run: MatchingRun) -> MatchingRun:
    """Run the recommender for ``run`` and store its recommendations, all or nothing.

    A failure leaves the run marked failed with the reason and no recommendation.
    """
    _progress(run, 5, status=MatchingRun.Status.RUNNING)
    try:
        instance = build_instance(run)
        if not len(instance.village_ids):
            raise ValueError(_("There are no villages in this scope."))
        _progress(run, 20)
        scorer = Scorer(instance.villages, instance.enterprises, weights(run))
        found = candidates(
            instance.villages,
            instance.enterprises,
            scorer.weights,
            min_score=run.min_score,
            scorer=scorer,
        )
        _progress(run, 50, candidates=len(found))
        result = assign(
            found.village,
            found.enterprise,
            found.score,
            instance.capacity,
            n_villages=len(instance.village_ids),
            min_score=run.min_score,
            fixed=instance.fixed,
        )
        _progress(run, 80)
        recommendations, current = _recommendations(run, instance, scorer, found, result.pairs)
    except ValueError as error:
        _progress(
            run,
            100,
            status=MatchingRun.Status.FAILED,
            message=str(error)[:300],
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        return run
    located = np.isfinite(instance.villages.latitude) & np.isfinite(instance.villages.longitude)
    unlocated = int((~located).sum())
    message = (
        ngettext(
            "%(count)s village has no coordinates and got no recommendation.",
            "%(count)s villages have no coordinates and got no recommendation.",
            unlocated,
        )
        % {"count": unlocated}
        if unlocated
        else ""
    )
    with transaction.atomic():
        run.recommendations.all().delete()
        _store(run, recommendations)
        _progress(
            run,
            100,
            status=MatchingRun.Status.DONE,
            message=message,
            villages=len(instance.village_ids),
            enterprises=len(instance.enterprise_ids),
            objective=result.objective,
            current_objective=current,
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


# A recommendation as ``_recommendations`` makes it, after its run and moments.
ROW = ("village", "enterprise", "score", "distance_km", "terms", "alternatives", "decision")
STORED = ("created_at", "updated_at", "run", *ROW, "reason")


def _store(run: MatchingRun, recommendations: list[tuple]) -> None:
    """Insert the run's recommendations as plain rows (a province run stores 15,000) and
    record each one's creation, named by one query for the whole run (28,602 queries for
    a province when each row looked up its village and enterprise)."""
    now = timezone.now()
    insert_rows(Recommendation, STORED, ((now, now, run.pk, *row, "") for row in recommendations))
    # Read whole before the entries are written: COPY holds the connection while it runs.
    stored = list(
        Recommendation.objects.filter(run=run).values_list(
            "pk", "village__name", "enterprise__name", "score", "decision"
        )
    )
    history.record_stored_creates(
        Recommendation,
        (
            (
                pk,
                Recommendation.reads_as(village, enterprise, score),
                {
                    "village": village,
                    "enterprise": enterprise,
                    "score": score,
                    "decision": decision,
                },
            )
            for pk, village, enterprise, score, decision in stored
        ),
        None,
    )


def _recommendations(
    run: MatchingRun, instance: Instance, scorer: Scorer, found: Sequence, pairs: Sequence
) -> tuple[list, float]:
    """The rows to store (values in ``ROW`` order: building 15,000 model instances took
    longer than solving), and the total score of the current pairings (those with
    coordinates)."""
    existing = set(instance.open_pairs)
    current = 0.0
    if existing:
        kept = np.array(sorted(existing))
        for terms in scorer.terms_of(kept[:, 0], kept[:, 1]):
            current += terms.score if np.isfinite(terms.score) else 0.0
    rows = []
    village_ids, enterprise_ids = instance.village_ids.tolist(), instance.enterprise_ids.tolist()
    kind_codes = instance.kind_codes
    existing_decision = str(Recommendation.Decision.EXISTING)
    pending = str(Recommendation.Decision.PENDING)
    pairs = list(pairs)
    villages, enterprises = [v for v, _e in pairs], [e for _v, e in pairs]
    for why in explain(scorer, found, villages, enterprises, ALTERNATIVES):
        v, e = why.village, why.enterprise
        if not np.isfinite(why.terms.distance_km):
            continue  # an existing pairing without coordinates: nothing to say about it
        rows.append(
            (
                village_ids[v],
                enterprise_ids[e],
                float(why.terms.score),
                float(why.terms.distance_km),
                {
                    "complementarity": why.terms.complementarity,
                    "industry": why.terms.industry,
                    "proximity": why.terms.proximity,
                    "kinds": {kind_codes[k]: share for k, share in why.terms.kinds.items()},
                },
                [[enterprise_ids[j], s] for j, s in why.alternatives],
                existing_decision if (v, e) in existing else pending,
            )
        )
    return rows, current
