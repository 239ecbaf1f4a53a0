"""Policy eligibility as plain data: every criterion a policy sets, with its reason."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cunqi.funds.eligibility import PolicyTerms, ProjectFacts, judge

TODAY = date(2026, 11, 29)
PROJECT = ProjectFacts(
    industry=1,
    models=frozenset({2}),
    zones=frozenset({3}),
    planned_investment=Decimal("5000000.00"),
    is_demonstration=False,
)


def test_a_policy_without_criteria_fits_every_project():
    verdict = judge(PolicyTerms(), PROJECT, TODAY)
    assert verdict.eligible and verdict.reasons == ()


def test_each_criterion_gives_its_reason():
    verdict = judge(
        PolicyTerms(
            industries=frozenset({1}),
            models=frozenset({9}),
            zones=frozenset({3, 4}),
            min_investment=Decimal("10000000.00"),
            demonstration_only=True,
            valid_until=date(2027, 12, 31),
        ),
        PROJECT,
        TODAY,
    )
    assert not verdict.eligible
    assert {r.code: r.met for r in verdict.reasons} == {
        "validity": True,
        "industry": True,
        "model": False,
        "zone": True,
        "investment": False,
        "demonstration": False,
    }
    investment = next(r for r in verdict.reasons if r.code == "investment")
    assert investment.figures == {
        "planned": Decimal("5000000.00"),
        "minimum": Decimal("10000000.00"),
    }


def test_an_expired_policy_fits_nobody():
    verdict = judge(PolicyTerms(valid_until=date(2026, 11, 28)), PROJECT, TODAY)
    assert not verdict.eligible


@given(
    minimum=st.decimals(min_value=0, max_value=10**9, places=2),
    planned=st.decimals(min_value=0, max_value=10**9, places=2),
)
def test_the_investment_minimum_is_inclusive(minimum, planned):
    project = ProjectFacts(1, frozenset(), frozenset(), planned, False)
    assert judge(PolicyTerms(min_investment=minimum), project, TODAY).eligible == (
        planned >= minimum
    )
