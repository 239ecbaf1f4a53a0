"""Candidate village–enterprise pairs and their scores, in numpy arrays end to end.

A pair's score is a weighted sum of three terms, each between 0 and 1:

- **complementarity**: for each resource kind, how well what the village offers meets
  what the enterprise needs, or what the enterprise offers meets what the village needs,
  with quantities saturated (``1 − e^(−q/s)``, ``s`` the kind's median quantity) so that
  one huge resource does not swamp the rest; the kinds' matches, weighted by
  ``kind_weights`` (1 each by default), saturate in turn: ``1 − e^(−Σ w·m)``, so one
  strong complement scores 0.63 and two 0.86;
- **industry fit**: the village's affinity (0–1) for the enterprise's industry;
- **proximity**: ``e^(−d/distance_scale_km)`` of the great-circle distance ``d``.

Candidates are the pairs within ``max_distance_km``, found with a k-d tree on points of
the unit sphere (a chord radius is a great-circle radius), never a dense villages ×
enterprises matrix. They are scored in blocks, the minimum score applied inside each
block, so low-scoring pairs are never kept; ``top_k`` keeps each village's best.

Rows without coordinates (NaN) get no candidates; a village without resources can still
score on industry and proximity.
"""

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0088
BLOCK = 1 << 14  # pairs scored at a time: temporaries stay in cache (measured best)


@dataclass(frozen=True)
class Villages:
    latitude: np.ndarray  # degrees, NaN when unknown
    longitude: np.ndarray
    offers: np.ndarray  # (villages, kinds) quantities
    needs: np.ndarray  # (villages, kinds)
    industry_affinity: np.ndarray  # (villages, industries), 0–1


@dataclass(frozen=True)
class Enterprises:
    latitude: np.ndarray
    longitude: np.ndarray
    needs: np.ndarray  # (enterprises, kinds)
    offers: np.ndarray  # (enterprises, kinds)
    industry: np.ndarray  # (enterprises,) index into the industries; -1 when unknown


@dataclass(frozen=True)
class Weights:
    complementarity: float = 0.6
    industry: float = 0.2
    proximity: float = 0.2
    distance_scale_km: float = 30.0
    max_distance_km: float = 100.0
    kind_weights: Sequence[float] | None = None  # one per kind; equal when None

    def validate(self, kinds: int) -> np.ndarray:
        """The kind weights, normalised; ``ValueError`` for a weight that is not a
        non-negative number or terms that all weigh nothing."""
        terms = (self.complementarity, self.industry, self.proximity)
        if not all(np.isfinite(w) and w >= 0 for w in terms) or sum(terms) == 0:
            raise ValueError("weights must be non-negative numbers, not all zero")
        if not (np.isfinite(self.distance_scale_km) and self.distance_scale_km > 0):
            raise ValueError("distance_scale_km must be a positive number")
        if not (np.isfinite(self.max_distance_km) and self.max_distance_km > 0):
            raise ValueError("max_distance_km must be a positive number")
        kind = np.ones(kinds) if self.kind_weights is None else np.asarray(self.kind_weights, float)
        if kind.shape != (kinds,) or not np.isfinite(kind).all() or (kind < 0).any():
            raise ValueError("kind_weights must be one non-negative number per kind")
        mean = kind.mean() if kinds else 0.0
        return kind / mean if mean > 0 else kind


@dataclass(frozen=True)
class Candidates:
    village: np.ndarray  # int32
    enterprise: np.ndarray  # int32
    score: np.ndarray  # float64
    distance_km: np.ndarray  # float32

    def __len__(self) -> int:
        return len(self.score)


@dataclass(frozen=True)
class Terms:
    """A pair's score, term by term (already weighted); ``kinds`` is each kind's share
    of the complementarity term."""

    complementarity: float
    industry: float
    proximity: float
    distance_km: float
    kinds: dict[int, float] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return self.complementarity + self.industry + self.proximity


def _unit_vectors(latitude: np.ndarray, longitude: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(latitude), np.radians(longitude)
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _chord(km: float) -> float:
    return 2 * np.sin(min(km / EARTH_RADIUS_KM, np.pi) / 2)


def _kilometres(chord: np.ndarray) -> np.ndarray:
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2, 0, 1))


def _saturation_scales(*quantities: np.ndarray) -> np.ndarray:
    """Per kind, the median positive quantity on either side (1 where there is none)."""
    stacked = np.vstack(quantities)
    scales = np.ones(stacked.shape[1])
    for kind in range(stacked.shape[1]):
        positive = stacked[:, kind][stacked[:, kind] > 0]
        if len(positive):
            scales[kind] = float(np.median(positive))
    return scales


def _saturate(quantities: np.ndarray, scales: np.ndarray) -> np.ndarray:
    return (1 - np.exp(-np.clip(np.nan_to_num(quantities), 0, None) / scales)).astype(np.float32)


class Scorer:
    """Scores pairs of one instance; built once, used for candidates and explanations."""

    def __init__(self, villages: Villages, enterprises: Enterprises, weights: Weights) -> None:
        kinds = villages.offers.shape[1]
        if enterprises.needs.shape[1] != kinds or villages.needs.shape[1] != kinds:
            raise ValueError("villages and enterprises must list the same resource kinds")
        self.villages, self.enterprises, self.weights = villages, enterprises, weights
        self.kind_weights = weights.validate(kinds).astype(np.float32)
        scales = _saturation_scales(
            villages.offers, villages.needs, enterprises.needs, enterprises.offers
        )
        self.village_offers = _saturate(villages.offers, scales)
        self.village_needs = _saturate(villages.needs, scales)
        self.enterprise_needs = _saturate(enterprises.needs, scales)
        self.enterprise_offers = _saturate(enterprises.offers, scales)
        affinity = np.clip(np.nan_to_num(villages.industry_affinity), 0, 1).astype(np.float32)
        # A last column of zeros answers an enterprise whose industry is unknown (-1).
        self.affinity = np.hstack((affinity, np.zeros((len(affinity), 1), np.float32)))

    def _kind_matches(self, v: np.ndarray, e: np.ndarray) -> np.ndarray:
        return np.maximum(
            self.village_offers[v] * self.enterprise_needs[e],
            self.village_needs[v] * self.enterprise_offers[e],
        )

    def score(self, v: np.ndarray, e: np.ndarray, km: np.ndarray) -> np.ndarray:
        w = self.weights
        complementarity = 1 - np.exp(-(self._kind_matches(v, e) @ self.kind_weights))
        industry = self.affinity[v, self.enterprises.industry[e]]
        proximity = np.exp(-km / w.distance_scale_km)
        return (
            w.complementarity * complementarity.astype(np.float64)
            + w.industry * industry
            + w.proximity * proximity
        )

    def terms(self, v: int, e: int) -> Terms:
        return self.terms_of(np.array([v]), np.array([e]))[0]

    def terms_of(self, v: np.ndarray, e: np.ndarray) -> list[Terms]:
        """The terms of the pairs (``v[i]``, ``e[i]``), computed for all of them at once."""
        w = self.weights
        km = _kilometres(
            np.linalg.norm(
                _unit_vectors(self.villages.latitude[v], self.villages.longitude[v])
                - _unit_vectors(self.enterprises.latitude[e], self.enterprises.longitude[e]),
                axis=1,
            )
        )
        matches = self._kind_matches(v, e) * self.kind_weights
        totals = matches.sum(axis=1).astype(np.float64)
        complementarity = w.complementarity * (1 - np.exp(-totals))
        industry = w.industry * self.affinity[v, self.enterprises.industry[e]]
        proximity = w.proximity * np.exp(-km / w.distance_scale_km)
        return [
            Terms(
                complementarity=float(complementarity[i]),
                industry=float(industry[i]),
                proximity=float(proximity[i]),
                distance_km=float(km[i]),
                # Each kind's share of the complementarity term, in proportion to its match.
                kinds={
                    int(kind): float(complementarity[i] * matches[i, kind] / totals[i])
                    for kind in np.flatnonzero(matches[i] > 0)
                },
            )
            for i in range(len(v))
        ]


def affinity_from_examples(
    offers: np.ndarray,
    example_villages: np.ndarray,
    example_industries: np.ndarray,
    industries: int,
) -> np.ndarray:
    """Each village's affinity (0–1) for each industry, learnt from examples (villages
    already working with an enterprise of that industry): the cosine similarity of the
    village's saturated resource profile with the industry's mean example profile.
    An industry without examples gets 0 for every village."""
    profile = _saturate(offers, _saturation_scales(offers)).astype(np.float64)
    affinity = np.zeros((len(offers), industries))
    norms = np.linalg.norm(profile, axis=1)
    for industry in range(industries):
        examples = example_villages[example_industries == industry]
        if not len(examples):
            continue
        centre = profile[examples].mean(axis=0)
        centre_norm = np.linalg.norm(centre)
        if centre_norm == 0:
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            similarity = profile @ centre / (norms * centre_norm)
        affinity[:, industry] = np.nan_to_num(similarity)
    return np.clip(affinity, 0, 1)


def _pairs_within(
    villages: Villages, enterprises: Enterprises, max_km: float, workers: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(village, enterprise, chord) of every pair closer than ``max_km``, sorted by
    village, then enterprise."""
    v_known = np.flatnonzero(np.isfinite(villages.latitude) & np.isfinite(villages.longitude))
    e_known = np.flatnonzero(np.isfinite(enterprises.latitude) & np.isfinite(enterprises.longitude))
    empty = (np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
    if not len(v_known) or not len(e_known):
        return empty
    e_tree = cKDTree(_unit_vectors(enterprises.latitude[e_known], enterprises.longitude[e_known]))
    v_points = _unit_vectors(villages.latitude[v_known], villages.longitude[v_known])
    radius = _chord(max_km)

    def part(rows: np.ndarray):
        tree = cKDTree(v_points[rows])
        found = tree.sparse_distance_matrix(e_tree, radius, output_type="ndarray")
        village = v_known[rows[found["i"]]].astype(np.int32)
        enterprise = e_known[found["j"]].astype(np.int32)
        # Sorted here, part by part (the parts are in village order), so the whole is
        # sorted without one big sort and its copies.
        order = np.argsort(village.astype(np.int64) * len(enterprises.latitude) + enterprise)
        return village[order], enterprise[order], found["v"][order]

    parts = np.array_split(np.arange(len(v_known)), max(1, workers * 4))
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(part, [p for p in parts if len(p)]))
    return tuple(np.concatenate(column) for column in zip(*results, strict=True))


def _top_k(village: np.ndarray, score: np.ndarray, k: int) -> np.ndarray:
    """Indices of each village's ``k`` best pairs (ties: the earlier pair)."""
    order = np.lexsort((-score, village))
    grouped = village[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    return np.sort(order[rank < k])


def _scored_blocks(
    scorer: Scorer,
    v_all: np.ndarray,
    e_all: np.ndarray,
    chord: np.ndarray,
    min_score: float,
    workers: int,
) -> list[tuple[np.ndarray, ...]]:
    """The pairs scored in blocks on ``workers`` threads, low scores dropped per block."""

    def block(start: int):
        stop = start + BLOCK
        v, e = v_all[start:stop], e_all[start:stop]
        km = _kilometres(chord[start:stop])
        score = scorer.score(v, e, km)
        keep = (score >= min_score) & (score > 0)
        return v[keep], e[keep], score[keep], km[keep].astype(np.float32)

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(block, range(0, len(v_all), BLOCK)))


def candidates(
    villages: Villages,
    enterprises: Enterprises,
    weights: Weights = Weights(),
    *,
    min_score: float = 0.0,
    top_k: int | None = None,
    workers: int = 2,
    scorer: Scorer | None = None,
) -> Candidates:
    """Every pair within ``weights.max_distance_km`` scoring at least ``min_score`` (and
    more than 0), or each village's ``top_k`` best of them, ordered by village then
    enterprise."""
    if top_k is not None and top_k < 1:
        raise ValueError("top_k must be at least 1")
    scorer = scorer or Scorer(villages, enterprises, weights)
    weights = scorer.weights
    # The pairs within reach are not bound here, so they are freed once scored.
    blocks = _scored_blocks(
        scorer,
        *_pairs_within(villages, enterprises, weights.max_distance_km, workers),
        min_score,
        workers,
    )
    if not blocks:
        return Candidates(
            np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0), np.zeros(0, np.float32)
        )
    v, e, score, km = (np.concatenate(column) for column in zip(*blocks, strict=True))
    del blocks
    if top_k is not None:
        kept = _top_k(v, score, top_k)  # sorted indices: the order stays
        v, e, score, km = v[kept], e[kept], score[kept], km[kept]
    return Candidates(v, e, score, km)


@dataclass(frozen=True)
class Explanation:
    village: int
    enterprise: int
    terms: Terms
    alternatives: list[tuple[int, float]]  # (enterprise, score), best first


def explain(
    scorer: Scorer,
    found: Candidates,
    villages: Sequence[int],
    enterprises: Sequence[int],
    alternatives: int = 3,
) -> list[Explanation]:
    """Why ``enterprises[i]`` for ``villages[i]``: each term's contribution, and the
    village's next-best candidates."""
    villages = np.asarray(villages, dtype=found.village.dtype)
    enterprises = np.asarray(enterprises, dtype=found.enterprise.dtype)
    # Candidates are sorted by village: each village's are one slice.
    starts = np.searchsorted(found.village, villages)
    stops = np.searchsorted(found.village, villages + 1)
    explanations = []
    for village, enterprise, terms, start, stop in zip(
        villages.tolist(),
        enterprises.tolist(),
        scorer.terms_of(villages, enterprises),
        starts.tolist(),
        stops.tolist(),
        strict=True,
    ):
        mine = np.arange(start, stop)
        others = mine[found.enterprise[mine] != enterprise]
        best = others[np.lexsort((found.enterprise[others], -found.score[others]))][:alternatives]
        explanations.append(
            Explanation(
                village=village,
                enterprise=enterprise,
                terms=terms,
                alternatives=[(int(found.enterprise[i]), float(found.score[i])) for i in best],
            )
        )
    return explanations
