import itertools

import pytest

from cunqi.projects import lifecycle

ORDER = ["planned", "approving", "building", "operating", "handed_over"]


@pytest.mark.parametrize(("current", "following"), list(itertools.pairwise(ORDER)))
def test_each_status_moves_to_the_next(current, following):
    assert lifecycle.can_move(current, following)
    assert lifecycle.can_move(current, "stopped")


@pytest.mark.parametrize("current", ORDER)
def test_no_skipping_and_no_going_back(current):
    index = ORDER.index(current)
    for target in ORDER[index + 2 :] + ORDER[:index]:
        assert not lifecycle.can_move(current, target)


@pytest.mark.parametrize("final", ["handed_over", "stopped"])
def test_final_statuses_stay(final):
    assert lifecycle.next_statuses(final) == ()
    assert lifecycle.can_move(final, final)
    assert not lifecycle.can_move(final, "planned")
