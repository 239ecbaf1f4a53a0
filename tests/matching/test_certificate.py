"""The optimality certificate: prices exist exactly for an optimal assignment, and an optimum
found on a subset of the candidates is proven, or corrected, on all of them."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cunqi.matching import assign
from cunqi.matching.certificate import assign_on_subset, integer_costs, prices
from cunqi.matching.scoring import Enterprises, Villages, Weights, candidates


def chosen_mask(village, enterprise, pairs) -> np.ndarray:
    width = int(max(enterprise.max(initial=0), max((e for _v, e in pairs), default=0))) + 1
    taken = np.array([v * width + e for v, e in pairs], np.int64)
    return np.isin(village.astype(np.int64) * width + enterprise, taken)


def certify(village, enterprise, score, capacity, pairs, n_villages):
    return prices(
        village,
        enterprise,
        integer_costs(score),
        chosen_mask(village, enterprise, pairs),
        np.ones(n_villages, np.int64),
        np.asarray(capacity, np.int64),
    )


def test_only_the_better_of_two_villages_has_prices():
    village, enterprise = np.array([0, 1]), np.array([0, 0])
    score = np.array([1.0, 2.0])
    assert certify(village, enterprise, score, [1], [(1, 0)], 2) is not None
    assert certify(village, enterprise, score, [1], [(0, 0)], 2) is None
    assert certify(village, enterprise, score, [1], [], 2) is None  # room left unused


@st.composite
def instances(draw):
    n_villages = draw(st.integers(1, 6))
    n_enterprises = draw(st.integers(1, 5))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_villages - 1), st.integers(0, n_enterprises - 1)),
            min_size=1,
            max_size=20,
            unique=True,
        )
    )
    scores = draw(st.lists(st.integers(1, 50), min_size=len(pairs), max_size=len(pairs)))
    capacity = draw(st.lists(st.integers(0, 3), min_size=n_enterprises, max_size=n_enterprises))
    return n_villages, pairs, np.array(scores, float), capacity


@settings(max_examples=200, deadline=None)
@given(instances(), st.data())
def test_the_optimum_has_prices_and_dropping_a_pair_of_it_loses_them(instance, data):
    n_villages, pairs, scores, capacity = instance
    village = np.array([v for v, _e in pairs])
    enterprise = np.array([e for _v, e in pairs])
    result = assign(village, enterprise, scores, capacity, n_villages=n_villages)
    assert certify(village, enterprise, scores, capacity, result.pairs, n_villages) is not None
    if result.pairs:
        dropped = data.draw(st.sampled_from(result.pairs))
        worse = [pair for pair in result.pairs if pair != dropped]
        assert certify(village, enterprise, scores, capacity, worse, n_villages) is None


def province():
    """16,000 villages and 5,000 enterprises, as ``bench/matching.py`` builds them."""
    rng = np.random.default_rng(2026)
    n_villages, n_enterprises, kinds = 16_000, 5_000, 11

    def resources(n: int, share: float) -> np.ndarray:
        return np.where(rng.random((n, kinds)) < share, rng.lognormal(3, 1.5, (n, kinds)), 0.0)

    villages = Villages(
        latitude=rng.uniform(35.0, 40.8, n_villages),
        longitude=rng.uniform(106.0, 113.5, n_villages),
        offers=resources(n_villages, 0.3),
        needs=resources(n_villages, 0.1),
        industry_affinity=rng.random((n_villages, 3)) * (rng.random((n_villages, 3)) < 0.5),
    )
    enterprises = Enterprises(
        latitude=rng.uniform(35.0, 40.8, n_enterprises),
        longitude=rng.uniform(106.0, 113.5, n_enterprises),
        needs=resources(n_enterprises, 0.25),
        offers=resources(n_enterprises, 0.15),
        industry=rng.integers(0, 3, n_enterprises),
    )
    found = candidates(villages, enterprises, Weights(max_distance_km=30), min_score=0.0)
    return found, rng.integers(1, 6, n_enterprises), n_villages


def test_at_province_scale_the_optimum_is_certified_and_a_subset_optimum_corrected():
    found, capacity, n_villages = province()
    village, enterprise, score = found.village, found.enterprise, found.score
    positive = score > 0
    village, enterprise, score = village[positive], enterprise[positive], score[positive]
    full = assign(village, enterprise, score, capacity, n_villages=n_villages)
    assert certify(village, enterprise, score, capacity, full.pairs, n_villages) is not None

    # Each village's three best candidates are not enough: prices name what was missing.
    subset, rounds = assign_on_subset(
        village, enterprise, score, capacity, n_villages, per_village=3, per_place=0
    )
    assert rounds > 1
    assert subset.objective == pytest.approx(full.objective, rel=1e-12)
