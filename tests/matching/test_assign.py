"""assign: the exact optimum of the capacitated pairing problem, checked against brute force."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cunqi.matching import assign


@st.composite
def instances(draw):
    villages = draw(st.integers(1, 4))
    enterprises = draw(st.integers(1, 3))
    all_pairs = list(itertools.product(range(villages), range(enterprises)))
    pairs = draw(st.lists(st.sampled_from(all_pairs), min_size=0, max_size=8, unique=True))
    # Scores on a 0.01 grid: distinct totals differ by far more than the solver's resolution.
    scores = [draw(st.integers(-100, 1000)) / 100 for _ in pairs]
    capacity = [draw(st.integers(0, 2)) for _ in range(enterprises)]
    village_capacity = draw(st.integers(1, 2))
    min_score = draw(st.sampled_from([0.0, 1.0, 5.0]))
    forbidden = draw(st.lists(st.sampled_from(all_pairs), max_size=2, unique=True))
    return pairs, scores, capacity, village_capacity, min_score, forbidden


def brute_force(pairs, scores, capacity, village_capacity, min_score, forbidden, fixed=()):
    score_of = dict(zip(pairs, scores, strict=True))
    eligible = [
        (pair, score)
        for pair, score in score_of.items()
        if score >= min_score and score > 0 and pair not in forbidden and pair not in fixed
    ]
    kept = [(pair, score_of.get(pair, 0.0)) for pair in fixed]
    best = None
    for size in range(len(eligible) + 1):
        for chosen in itertools.combinations(eligible, size):
            subset = [*kept, *chosen]
            villages = [v for (v, _e), _s in subset]
            enterprises = [e for (_v, e), _s in subset]
            if any(villages.count(v) > village_capacity for v in villages):
                continue
            if any(enterprises.count(e) > capacity[e] for e in enterprises):
                continue
            total = sum(score for _pair, score in subset)
            best = total if best is None else max(best, total)
    return best


@settings(max_examples=300, deadline=None)
@given(instances())
def test_assign_is_the_brute_force_optimum_and_feasible(instance):
    pairs, scores, capacity, village_capacity, min_score, forbidden = instance
    result = assign(
        [v for v, _e in pairs],
        [e for _v, e in pairs],
        scores,
        capacity,
        village_capacity=village_capacity,
        min_score=min_score,
        forbidden=forbidden,
    )
    assert result.objective == pytest.approx(
        brute_force(pairs, scores, capacity, village_capacity, min_score, forbidden), abs=1e-9
    )
    score_of = dict(zip(pairs, scores, strict=True))
    assert result.objective == pytest.approx(sum(score_of[pair] for pair in result.pairs))
    for v, e in result.pairs:
        assert (v, e) not in forbidden
        assert score_of[(v, e)] >= min_score
    chosen_v = [v for v, _e in result.pairs]
    chosen_e = [e for _v, e in result.pairs]
    assert all(chosen_v.count(v) <= village_capacity for v in chosen_v)
    assert all(chosen_e.count(e) <= capacity[e] for e in chosen_e)
    # The same input gives the same answer.
    again = assign(
        [v for v, _e in pairs],
        [e for _v, e in pairs],
        scores,
        capacity,
        village_capacity=village_capacity,
        min_score=min_score,
        forbidden=forbidden,
    )
    assert again == result


@settings(max_examples=200, deadline=None)
@given(instances(), st.data())
def test_fixed_pairs_are_kept_and_the_rest_is_optimal(instance, data):
    pairs, scores, capacity, village_capacity, min_score, forbidden = instance
    allowed = [pair for pair in pairs if pair not in forbidden]
    fixed = (
        data.draw(st.lists(st.sampled_from(allowed), max_size=2, unique=True)) if allowed else []
    )
    # Existing pairings fit the capacities (assign refuses them otherwise, tested below).
    capacity = [max(c, sum(e == j for _v, e in fixed)) for j, c in enumerate(capacity)]
    villages = [v for v, _e in fixed]
    village_capacity = max([village_capacity, *(villages.count(v) for v in villages)])
    result = assign(
        [v for v, _e in pairs],
        [e for _v, e in pairs],
        scores,
        capacity,
        village_capacity=village_capacity,
        min_score=min_score,
        fixed=fixed,
        forbidden=forbidden,
    )
    assert set(fixed) <= set(result.pairs)
    expected = brute_force(pairs, scores, capacity, village_capacity, min_score, forbidden, fixed)
    assert result.objective == pytest.approx(expected, abs=1e-9)


def test_a_kept_pair_of_a_village_without_candidates_is_kept():
    # The last village holds an open pairing but no candidate: it is still in the instance.
    result = assign([0, 1], [0, 1], [0.5, 0.6], [2, 2], fixed=[(2, 0)])
    assert result.pairs == [(0, 0), (1, 1), (2, 0)]
    assert result.objective == pytest.approx(1.1)
    counted = assign([0, 1], [0, 1], [0.5, 0.6], [2, 2], n_villages=4, fixed=[(3, 1)])
    assert counted.pairs == [(0, 0), (1, 1), (3, 1)]


@settings(max_examples=300, deadline=None)
@given(instances(), st.data())
def test_kept_pairs_anywhere_even_without_candidates_are_kept_and_the_rest_optimal(instance, data):
    pairs, scores, capacity, village_capacity, min_score, forbidden = instance
    # Villages and enterprises beyond those with candidates, which only kept pairs name.
    n_villages = max([v for v, _e in pairs], default=-1) + 1 + data.draw(st.integers(0, 2))
    capacity = capacity + data.draw(st.lists(st.integers(0, 2), max_size=2))
    anywhere = [
        pair
        for pair in itertools.product(range(n_villages), range(len(capacity)))
        if pair not in forbidden
    ]
    fixed = (
        data.draw(st.lists(st.sampled_from(anywhere), max_size=3, unique=True)) if anywhere else []
    )
    capacity = [max(c, sum(e == j for _v, e in fixed)) for j, c in enumerate(capacity)]
    kept_villages = [v for v, _e in fixed]
    village_capacity = max([village_capacity, *(kept_villages.count(v) for v in kept_villages)])
    result = assign(
        [v for v, _e in pairs],
        [e for _v, e in pairs],
        scores,
        capacity,
        n_villages=n_villages,
        village_capacity=village_capacity,
        min_score=min_score,
        fixed=fixed,
        forbidden=forbidden,
    )
    assert set(fixed) <= set(result.pairs)
    chosen_v = [v for v, _e in result.pairs]
    chosen_e = [e for _v, e in result.pairs]
    assert all(chosen_v.count(v) <= village_capacity for v in chosen_v)
    assert all(chosen_e.count(e) <= capacity[e] for e in chosen_e)
    expected = brute_force(pairs, scores, capacity, village_capacity, min_score, forbidden, fixed)
    assert result.objective == pytest.approx(expected, abs=1e-9)


def test_a_pair_listed_twice_counts_once_with_its_higher_score():
    result = assign([0, 0], [0, 0], [1.0, 3.0], [2])
    assert result.pairs == [(0, 0)] and result.objective == 3.0


def test_a_village_can_take_several_enterprises():
    result = assign([0, 0, 1], [0, 1, 0], [5, 4, 4], [2, 1], village_capacity=2)
    assert result.pairs == [(0, 0), (0, 1), (1, 0)] and result.objective == 13


def test_large_random_instance_matches_scipy_on_the_square_case():
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(7)
    n = 60
    weights = rng.integers(1, 1000, size=(n, n)) / 10
    v, e = np.nonzero(np.ones((n, n)))
    result = assign(v, e, weights[v, e], np.ones(n, int))
    rows, cols = linear_sum_assignment(weights, maximize=True)
    assert result.objective == pytest.approx(weights[rows, cols].sum())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"score": [float("nan")]}, "finite"),
        ({"enterprise_capacity": [-1]}, "negative"),
        ({"village_capacity": -1}, "negative"),
        ({"enterprise": [3]}, "outside"),
        ({"fixed": [(0, 0)], "forbidden": [(0, 0)]}, "fixed and forbidden"),
        ({"fixed": [(0, 0)], "enterprise_capacity": [0]}, "exceed"),
        ({"score": [1.0, 2.0]}, "same length"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kwargs, message):
    arguments = {"village": [0], "enterprise": [0], "score": [1.0], "enterprise_capacity": [1]}
    arguments.update(kwargs)
    positional = [
        arguments.pop(name) for name in ("village", "enterprise", "score", "enterprise_capacity")
    ]
    with pytest.raises(ValueError, match=message):
        assign(*positional, **arguments)


def test_nothing_to_pair_is_an_empty_result():
    result = assign([], [], [], [3])
    assert result.pairs == [] and result.objective == 0.0
