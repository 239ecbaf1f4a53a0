"""Candidates and scores: complementarity, industry and proximity, without a dense matrix."""

import numpy as np
import pytest

from cunqi.matching.scoring import (
    Enterprises,
    Scorer,
    Villages,
    Weights,
    candidates,
    explain,
)

# Two kinds: 0 = abandoned land, 1 = labour. Two industries.
VILLAGES = Villages(
    latitude=np.array([38.80, 38.81, 39.60, np.nan]),
    longitude=np.array([110.40, 110.41, 110.40, 110.40]),
    offers=np.array([[1000.0, 0], [0, 50], [500, 0], [10, 10]]),
    needs=np.zeros((4, 2)),
    industry_affinity=np.array([[1.0, 0], [0, 1], [1, 0], [1, 1]]),
)
ENTERPRISES = Enterprises(
    latitude=np.array([38.82, 38.79]),
    longitude=np.array([110.42, 110.39]),
    needs=np.array([[800.0, 0], [0, 40]]),
    offers=np.zeros((2, 2)),
    industry=np.array([0, 1]),
)


def test_pairs_beyond_the_radius_or_without_coordinates_are_not_candidates():
    found = candidates(VILLAGES, ENTERPRISES, Weights(max_distance_km=20))
    # Village 2 is ~88 km north; village 3 has no coordinates.
    assert set(found.village.tolist()) == {0, 1}
    assert len(found) == 4
    assert (found.distance_km < 5).all()


def test_complementary_resources_and_industry_score_higher():
    found = candidates(VILLAGES, ENTERPRISES, Weights(max_distance_km=20))
    score = {
        (v, e): s for v, e, s in zip(found.village, found.enterprise, found.score, strict=True)
    }
    assert score[(0, 0)] > score[(0, 1)]  # land for the land-hungry enterprise
    assert score[(1, 1)] > score[(1, 0)]  # labour for the one that hires


def test_saturation_keeps_one_huge_resource_from_swamping_the_rest():
    scorer = Scorer(VILLAGES, ENTERPRISES, Weights())
    huge = Villages(
        VILLAGES.latitude,
        VILLAGES.longitude,
        VILLAGES.offers * np.array([[1000.0, 1]]),
        VILLAGES.needs,
        VILLAGES.industry_affinity,
    )
    assert Scorer(huge, ENTERPRISES, Weights()).terms(0, 0).complementarity <= 0.6
    assert scorer.terms(0, 0).complementarity <= 0.6


def test_minimum_score_and_top_k():
    everything = candidates(VILLAGES, ENTERPRISES, Weights(max_distance_km=200))
    best = candidates(VILLAGES, ENTERPRISES, Weights(max_distance_km=200), top_k=1)
    assert len(best) == 3 and len(set(best.village.tolist())) == 3
    for v, e in zip(best.village, best.enterprise, strict=True):
        mine = everything.score[everything.village == v]
        assert (
            everything.score[(everything.village == v) & (everything.enterprise == e)][0]
            == mine.max()
        )
    high = candidates(VILLAGES, ENTERPRISES, Weights(max_distance_km=200), min_score=0.5)
    assert (high.score >= 0.5).all() and len(high) < len(everything)


def test_blocks_and_threads_give_the_same_candidates():
    rng = np.random.default_rng(1)
    n, m, kinds = 400, 80, 5
    villages = Villages(
        38 + rng.random(n),
        110 + rng.random(n),
        rng.exponential(10, (n, kinds)) * (rng.random((n, kinds)) < 0.3),
        np.zeros((n, kinds)),
        rng.random((n, 3)),
    )
    enterprises = Enterprises(
        38 + rng.random(m),
        110 + rng.random(m),
        rng.exponential(10, (m, kinds)) * (rng.random((m, kinds)) < 0.3),
        np.zeros((m, kinds)),
        rng.integers(-1, 3, m),
    )
    one = candidates(villages, enterprises, Weights(max_distance_km=40), workers=1)
    two = candidates(villages, enterprises, Weights(max_distance_km=40), workers=2)
    assert np.array_equal(one.village, two.village) and np.array_equal(one.score, two.score)
    # The same scores as the explanation's terms, pair by pair.
    scorer = Scorer(villages, enterprises, Weights(max_distance_km=40))
    for i in range(0, len(one), 97):
        terms = scorer.terms(int(one.village[i]), int(one.enterprise[i]))
        assert terms.score == pytest.approx(one.score[i], rel=1e-5)
        assert terms.distance_km == pytest.approx(one.distance_km[i], rel=1e-4)


def test_explain_gives_terms_by_kind_and_the_next_best():
    weights = Weights(max_distance_km=20)
    scorer = Scorer(VILLAGES, ENTERPRISES, weights)
    found = candidates(VILLAGES, ENTERPRISES, weights, scorer=scorer)
    (why,) = explain(scorer, found, [0], [0])
    assert set(why.terms.kinds) == {0}
    assert why.terms.complementarity == pytest.approx(sum(why.terms.kinds.values()))
    assert why.alternatives == [
        (1, pytest.approx(found.score[(found.village == 0) & (found.enterprise == 1)][0]))
    ]


@pytest.mark.parametrize(
    "weights",
    [
        Weights(complementarity=float("nan")),
        Weights(industry=-1),
        Weights(complementarity=0, industry=0, proximity=0),
        Weights(distance_scale_km=0),
        Weights(kind_weights=[1.0]),
        Weights(kind_weights=[1.0, -1.0]),
    ],
)
def test_bad_weights_are_refused(weights):
    with pytest.raises(ValueError):
        candidates(VILLAGES, ENTERPRISES, weights)


def test_an_empty_side_gives_no_candidates():
    nobody = Enterprises(
        np.zeros(0), np.zeros(0), np.zeros((0, 2)), np.zeros((0, 2)), np.zeros(0, int)
    )
    assert len(candidates(VILLAGES, nobody)) == 0


def test_industry_affinity_is_learnt_from_villages_already_in_that_industry():
    from cunqi.matching.scoring import affinity_from_examples

    offers = np.array(
        [
            [100.0, 0, 0],  # a land village working with agriculture (industry 0)
            [0, 0, 30],  # a tourism village working with tourism (industry 1)
            [80, 0, 0],  # unpaired, land: like industry 0's examples
            [0, 5, 0],  # unpaired, resembles neither
        ]
    )
    affinity = affinity_from_examples(offers, np.array([0, 1]), np.array([0, 1]), industries=3)
    assert affinity.shape == (4, 3)
    assert affinity[2, 0] == pytest.approx(1.0) and affinity[2, 1] == 0
    assert (affinity[3] == 0).all()
    assert (affinity[:, 2] == 0).all()  # an industry without examples
