import random

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from cunqi.core import uscc
from cunqi.core.validators import validate_uscc

# Published codes of real legal persons (check characters computed by their registries).
KNOWN_VALID = ["91350100M000100Y43", "91110000600037341L", "911100001000044477"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_codes_are_valid(code):
    assert uscc.problem(code) is None


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("91350100M000100I43", "character"),
        ("91350100m000100Y43", "character"),
        ("91350100M000100Y44", "check"),
    ],
)
def test_invalid_codes_say_why(code, reason):
    assert uscc.problem(code) == reason


body = st.text(alphabet=uscc.ALPHABET, min_size=17, max_size=17)


@given(body)
def test_check_character_makes_a_valid_code(body):
    assert uscc.problem(body + uscc.check_character(body)) is None


@given(body, st.integers(min_value=0, max_value=16), st.sampled_from(uscc.ALPHABET))
def test_changing_one_character_is_detected(body, position, replacement):
    code = body + uscc.check_character(body)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code:
        assert uscc.problem(changed) == "check"


def test_validator_message_names_the_problem():
    with pytest.raises(ValidationError) as error:
        validate_uscc("91350100M000100Y44")
    assert error.value.code == "uscc_check"
    validate_uscc(KNOWN_VALID[0])


def test_demo_codes_are_valid():
    from cunqi.demo.programme import make_uscc

    rng = random.Random(1)
    assert all(uscc.problem(make_uscc(rng)) is None for _ in range(200))
