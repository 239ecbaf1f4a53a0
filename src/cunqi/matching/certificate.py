"""A proof that an assignment is optimal: node prices under which no arc can improve it.

A flow is a minimum-cost flow exactly when its residual graph has no negative cycle, and
then the shortest-path distances from a root joined to every node at cost 0 are prices
``p`` under which every residual arc ``a → b`` has a non-negative reduced cost
``cost + p[a] - p[b]``. ``prices`` computes them for an assignment on the network of
``assign`` (source → village → enterprise → sink, and source → sink), by Bellman–Ford
passes over all arcs at once until nothing changes; it returns None if the passes do not
settle, which proves a negative cycle: a better assignment exists. ``reduced_costs`` then
checks, in one pass, arcs that were not in the network solved (a subset of candidates),
so an optimum on a subset is proven optimal on the whole, or the arcs that could still
improve it are named; ``assign_on_subset`` repeats that until the subset's optimum is
the whole's.

Measured at nation scale (bench/RESULTS.md) it is slower than solving the whole at
once: OR-Tools' cost scaling spends on a fifth of the arcs half the time of all of
them, and a proof takes two or three solves. It stays a proof: the tests check with it
that ``assign``'s optimum is exact on the province instance.

The costs are ``assign``'s integer costs (``integer_costs``): the proof is exact for them.
"""

from dataclasses import dataclass

import numpy as np

from cunqi.matching.assign import COST_RESOLUTION, Assignment, assign, integer_costs

__all__ = ["Prices", "assign_on_subset", "integer_costs", "prices", "reduced_costs"]


@dataclass(frozen=True)
class Prices:
    village: np.ndarray
    enterprise: np.ndarray


def prices(
    village: np.ndarray,
    enterprise: np.ndarray,
    cost: np.ndarray,
    chosen: np.ndarray,
    village_capacity: np.ndarray,
    enterprise_capacity: np.ndarray,
) -> Prices | None:
    """Prices proving that the arcs ``chosen`` (a boolean mask over the candidate arcs
    ``village → enterprise`` of integer ``cost``) are a minimum-cost assignment within
    the capacities, or None if they are not."""
    n_villages, n_enterprises = len(village_capacity), len(enterprise_capacity)
    source, sink = 0, 1
    village_node = 2 + np.arange(n_villages, dtype=np.int64)
    enterprise_node = 2 + n_villages + np.arange(n_enterprises, dtype=np.int64)
    village_used = np.bincount(village[chosen], minlength=n_villages)
    enterprise_used = np.bincount(enterprise[chosen], minlength=n_enterprises)
    supply = int(min(village_capacity.sum(), enterprise_capacity.sum(), len(cost)))
    bypass = supply - int(chosen.sum())  # the units that go source → sink unmatched

    tails, heads, costs = [], [], []

    def add(tail: object, head: object, cost_of_arc: object) -> None:
        tail, head = np.broadcast_arrays(np.asarray(tail, np.int64), np.asarray(head, np.int64))
        tails.append(tail.ravel())
        heads.append(head.ravel())
        costs.append(np.broadcast_to(np.asarray(cost_of_arc, np.int64), tail.shape).ravel())

    # A candidate arc not taken can be; one taken can be given back.
    add(village_node[village[~chosen]], enterprise_node[enterprise[~chosen]], cost[~chosen])
    add(enterprise_node[enterprise[chosen]], village_node[village[chosen]], -cost[chosen])
    # A village or an enterprise with room can take more; one in use can take less.
    add(source, village_node[village_used < village_capacity], 0)
    add(village_node[village_used > 0], source, 0)
    add(enterprise_node[enterprise_used < enterprise_capacity], sink, 0)
    add(sink, enterprise_node[enterprise_used > 0], 0)
    if bypass < supply:
        add(source, sink, 0)
    if bypass > 0:
        add(sink, source, 0)
    tails, heads, costs = np.concatenate(tails), np.concatenate(heads), np.concatenate(costs)
    n_nodes = 2 + n_villages + n_enterprises
    # The root's arcs of cost 0 to every node start every distance at 0.
    distance = np.zeros(n_nodes, dtype=np.int64)
    for _pass in range(n_nodes + 1):
        relaxed = distance.copy()
        np.minimum.at(relaxed, heads, distance[tails] + costs)
        if np.array_equal(relaxed, distance):
            return Prices(distance[village_node], distance[enterprise_node])
        distance = relaxed
    return None


def reduced_costs(
    found: Prices, village: np.ndarray, enterprise: np.ndarray, cost: np.ndarray
) -> np.ndarray:
    """The reduced costs of arcs not taken under the prices of an assignment: one below
    zero could still improve it; none below zero proves it optimal with them added."""
    return cost + found.village[village] - found.enterprise[enterprise]


def _ranks(group: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Each arc's place among its group's arcs by score, best first (0)."""
    order = np.lexsort((-score, group))
    starts = np.r_[0, np.flatnonzero(np.diff(group[order])) + 1]
    sizes = np.diff(np.r_[starts, len(score)])
    rank = np.empty(len(score), np.int64)
    rank[order] = np.arange(len(score)) - np.repeat(starts, sizes)
    return rank


def assign_on_subset(
    village: np.ndarray,
    enterprise: np.ndarray,
    score: np.ndarray,
    enterprise_capacity: np.ndarray,
    n_villages: int,
    *,
    per_village: int = 5,
    per_place: float = 4.0,
    margin: float = 0.05,
) -> tuple[Assignment, int]:
    """The optimum of ``assign`` (one enterprise per village), solved on a subset of the
    candidates and proven on all of them: each village's ``per_village`` best arcs and
    each enterprise's best ``per_place`` × its capacity; then, while prices name arcs
    outside that could improve it, those arcs and every one whose reduced cost is within
    ``margin`` of the largest score are added and it is solved again. Returns the
    assignment and the number of solves."""
    capacity = np.asarray(enterprise_capacity, np.int64)
    # 64-bit indices: a village's number times the enterprises overflows 32 bits nationally.
    village, enterprise = village.astype(np.int64), enterprise.astype(np.int64)
    # What ``assign`` could take at all, so that its costs scale as ``cost`` does.
    possible = (score > 0) & (capacity[enterprise] > 0)
    village, enterprise, score = village[possible], enterprise[possible], score[possible]
    if not len(score):
        return assign(village, enterprise, score, capacity, n_villages=n_villages), 1
    cost = integer_costs(score)  # one scale for every subset, the whole's
    inside = _ranks(village, score) < per_village
    inside |= _ranks(enterprise, score) < np.ceil(per_place * capacity[enterprise])
    inside[np.argmax(score)] = True  # each subset scales its costs as the whole does
    rounds = 0
    while True:
        rounds += 1
        kept = np.flatnonzero(inside)
        result = assign(
            village[kept], enterprise[kept], score[kept], capacity, n_villages=n_villages
        )
        width = int(capacity.size)
        taken = np.isin(
            village[kept] * width + enterprise[kept],
            np.array([v * width + e for v, e in result.pairs], np.int64),
        )
        found = prices(
            village[kept],
            enterprise[kept],
            cost[kept],
            taken,
            np.ones(n_villages, np.int64),
            capacity,
        )
        if found is None:  # cannot happen for an optimum of the subset; refuse to guess
            raise RuntimeError("the subset's assignment has no prices: it is not optimal")
        outside = np.flatnonzero(~inside)
        reduced = reduced_costs(found, village[outside], enterprise[outside], cost[outside])
        if not (reduced < 0).any():
            return result, rounds
        inside[outside[reduced < margin * COST_RESOLUTION]] = True
