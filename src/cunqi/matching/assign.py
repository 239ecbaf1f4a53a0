"""The best set of pairings among scored candidates: an exact capacitated assignment.

The problem is a maximum-weight b-matching on a bipartite graph, solved exactly as a
min-cost flow with OR-Tools: source → village (capacity: how many enterprises a village
may take) → enterprise (one unit per candidate pair, cost −score) → sink (capacity: how
many villages the enterprise can take on), plus a zero-cost arc from source to sink so
that nobody has to be matched. A pair is worth taking exactly when its score is positive.

Scores are floats; the solver needs integers, so they are scaled so the largest becomes
``COST_RESOLUTION`` and rounded: two solutions whose totals differ by less than about
``n / COST_RESOLUTION`` of the largest score may be taken for equal. The objective reported
is the sum of the original float scores of the pairs chosen.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

# The largest score's integer cost. The cost-scaling algorithm multiplies costs by the
# number of nodes, and 2^30 × (a million nodes) stays well inside 64 bits.
COST_RESOLUTION = 2**30


@dataclass(frozen=True)
class Assignment:
    pairs: list[tuple[int, int]]  # (village, enterprise), sorted
    objective: float  # the total score of ``pairs``


def _as_array(values: object, dtype: type, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=dtype)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    return array


def assign(
    village: Sequence[int] | np.ndarray,
    enterprise: Sequence[int] | np.ndarray,
    score: Sequence[float] | np.ndarray,
    enterprise_capacity: Sequence[int] | np.ndarray,
    *,
    n_villages: int | None = None,
    village_capacity: int | Sequence[int] | np.ndarray = 1,
    min_score: float = 0.0,
    fixed: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
) -> Assignment:
    """The pairs of greatest total score.

    ``village``, ``enterprise`` and ``score`` are parallel arrays of candidate pairs
    (indices from 0). There are ``n_villages`` villages (by default: as many as
    ``village_capacity`` lists, or up to the largest index among the candidates and the
    fixed pairs). Each village takes at most ``village_capacity`` enterprises (one
    number, or one per village) and enterprise ``j`` at most ``enterprise_capacity[j]``
    villages; anyone may stay unmatched. Pairs scoring below ``min_score`` and
    ``forbidden`` pairs are never chosen. ``fixed`` pairs (existing pairings) are always
    kept, use up capacity, and count with their candidate score (0 if they are not
    candidates). A pair listed twice counts once, with its higher score.

    Raises ``ValueError`` for arrays of different lengths, a NaN or infinite score,
    negative capacities, an index out of range, a fixed pair that is also forbidden, or
    fixed pairs beyond a capacity.
    """
    villages = _as_array(village, np.int64, "village")
    enterprises = _as_array(enterprise, np.int64, "enterprise")
    scores = _as_array(score, np.float64, "score")
    capacity = _as_array(enterprise_capacity, np.int64, "enterprise_capacity")
    if not len(villages) == len(enterprises) == len(scores):
        raise ValueError("village, enterprise and score must have the same length")
    if not np.isfinite(scores).all():
        raise ValueError("scores must be finite numbers")
    if not np.isfinite(min_score):
        raise ValueError("min_score must be a finite number")
    if (capacity < 0).any():
        raise ValueError("enterprise capacities cannot be negative")
    n_enterprises = len(capacity)
    if len(enterprises) and (enterprises.min() < 0 or enterprises.max() >= n_enterprises):
        raise ValueError("an enterprise index is outside enterprise_capacity")
    if len(villages) and villages.min() < 0:
        raise ValueError("village indices start at 0")
    fixed_pairs = sorted(set(fixed))
    if np.ndim(village_capacity) == 0:
        if n_villages is None:
            # A village that is only in a fixed pair (no candidate) is still a village.
            highest = max(
                int(villages.max()) if len(villages) else -1,
                max((v for v, _ in fixed_pairs), default=-1),
            )
            n_villages = highest + 1
        v_capacity = np.full(n_villages, int(village_capacity), dtype=np.int64)
    else:
        v_capacity = _as_array(village_capacity, np.int64, "village_capacity")
        if n_villages is not None and n_villages != len(v_capacity):
            raise ValueError("village_capacity must list one capacity per village")
        n_villages = len(v_capacity)
    if len(villages) and villages.max() >= n_villages:
        raise ValueError("a village index is outside the instance")
    if (v_capacity < 0).any():
        raise ValueError("village capacities cannot be negative")
    forbidden_pairs = set(forbidden)
    if clash := forbidden_pairs.intersection(fixed_pairs):
        raise ValueError(f"pairs both fixed and forbidden: {sorted(clash)}")

    # One score per pair, the highest (candidates from scoring come sorted and unique).
    width = max(n_enterprises, 1)
    keys = villages * width + enterprises
    if len(keys) > 1 and not (keys[1:] > keys[:-1]).all():
        order = np.lexsort((-scores, keys))
        keys, villages, enterprises, scores = (
            keys[order],
            villages[order],
            enterprises[order],
            scores[order],
        )
        first = np.r_[True, keys[1:] != keys[:-1]]
        keys, villages, enterprises, scores = (
            keys[first],
            villages[first],
            enterprises[first],
            scores[first],
        )
    # The fixed pairs take their capacity first.
    fixed_objective = 0.0
    v_left, e_left = v_capacity.copy(), capacity.copy()
    for v, e in fixed_pairs:
        if not (0 <= v < n_villages and 0 <= e < n_enterprises):
            raise ValueError(f"fixed pair {(v, e)} is outside the instance")
        v_left[v] -= 1
        e_left[e] -= 1
        at = np.searchsorted(keys, v * width + e)
        if at < len(keys) and keys[at] == v * width + e:
            fixed_objective += float(scores[at])
    if (v_left < 0).any() or (e_left < 0).any():
        raise ValueError("the fixed pairs exceed a village's or an enterprise's capacity")

    eligible = (scores >= min_score) & (scores > 0)
    eligible &= (v_left[villages] > 0) & (e_left[enterprises] > 0)
    if fixed_pairs or forbidden_pairs:
        excluded = np.array(
            [v * width + e for v, e in (*fixed_pairs, *forbidden_pairs)],
            dtype=np.int64,
        )
        eligible &= ~np.isin(keys, excluded)
    if not eligible.all():
        villages, enterprises, scores = villages[eligible], enterprises[eligible], scores[eligible]
    del keys, eligible
    chosen = _solve(villages, enterprises, scores, v_left, e_left)
    pairs = sorted(
        [*fixed_pairs, *zip(villages[chosen].tolist(), enterprises[chosen].tolist(), strict=True)]
    )
    return Assignment(pairs=pairs, objective=fixed_objective + float(scores[chosen].sum()))


def integer_costs(scores: np.ndarray) -> np.ndarray:
    """The solver's costs: minus each score, scaled so the largest is ``COST_RESOLUTION``."""
    return -np.rint(scores * (COST_RESOLUTION / scores.max())).astype(np.int64)


def _solve(
    villages: np.ndarray,
    enterprises: np.ndarray,
    scores: np.ndarray,
    village_capacity: np.ndarray,
    enterprise_capacity: np.ndarray,
) -> np.ndarray:
    """A boolean mask of the pairs in the optimum (pairs have positive scores)."""
    if not len(scores):
        return np.zeros(0, dtype=bool)
    n_villages, n_enterprises = len(village_capacity), len(enterprise_capacity)
    source, sink = 0, 1
    # OR-Tools numbers nodes with 32-bit integers: passing them so saves a converted copy.
    village_node = 2 + np.arange(n_villages, dtype=np.int32)
    enterprise_node = 2 + n_villages + np.arange(n_enterprises, dtype=np.int32)
    costs = integer_costs(scores)
    supply = int(min(village_capacity.sum(), enterprise_capacity.sum(), len(scores)))

    flow = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        village_node[villages], enterprise_node[enterprises], np.ones(len(scores), np.int64), costs
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.full(n_villages, source, np.int32),
        village_node,
        np.minimum(village_capacity, supply),
        np.zeros(n_villages, np.int64),
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        enterprise_node,
        np.full(n_enterprises, sink, np.int32),
        np.minimum(enterprise_capacity, supply),
        np.zeros(n_enterprises, np.int64),
    )
    flow.add_arc_with_capacity_and_unit_cost(source, sink, supply, 0)
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the min-cost flow solver stopped with status {status}")
    return flow.flows(pair_arcs) > 0
