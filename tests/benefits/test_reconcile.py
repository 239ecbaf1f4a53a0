"""`cunqi reconcile` replays the journal against every balance derived from it: it finds
each kind of tampering, and random sequences of postings, reversals and payments keep it
clean after every step (a Hypothesis state machine)."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.context import disable_auditlog
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from cunqi.benefits import reconcile, services
from cunqi.benefits.models import Distribution
from cunqi.funds import services as funds
from cunqi.funds.models import Allocation, Disbursement, FundBudget
from tests import factories
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    side = build_side("A")
    return side, build_users(side)


def posted(side, users, year=2025, profit="5000.03"):
    distribution = services.prepare_distribution(side.project, year, Decimal(profit), users["town"])
    services.approve_distribution(distribution, users["leader"])
    services.post_distribution(distribution, users["taskforce"])
    return distribution


def test_a_clean_ledger_reconciles(world, capsys):
    side, users = world
    posted(side, users)
    services.reverse_distribution(posted(side, users, 2026), users["taskforce"])
    assert reconcile.problems() == []
    call_command("reconcile")
    assert "Reconciled" in capsys.readouterr().out


def test_each_kind_of_tampering_is_found(world):
    side, users = world
    distribution = posted(side, users)
    # Rows changed behind the services' backs (the journal itself refuses any change).
    with disable_auditlog():
        Distribution.objects.filter(pk=distribution.pk).update(status="approved")
        FundBudget.objects.filter(pk=side.fund_budget.pk).update(allocated=Decimal("1.00"))
        Allocation.objects.filter(pk=side.allocation.pk).update(disbursed=Decimal("0.00"))
    found = {problem.check for problem in reconcile.problems()}
    assert found == {
        "entries follow the status",
        "account balance",
        "budget allocated",
        "allocation disbursed",
    }
    with pytest.raises(CommandError, match="discrepancies"):
        call_command("reconcile")


class Ledger(RuleBasedStateMachine):
    """Random distributions prepared, approved, posted (sometimes twice), reversed and
    prepared again, and random allocations and disbursements; after every step the
    reconciliation finds nothing."""

    def __init__(self):
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.side = build_side("S")
        for number in range(3):
            factories.HouseholdFactory(village=self.side.village, number=f"9{number}")
        self.users = build_users(self.side)
        # year → its distribution (the world has a draft for 2024)
        self.years = {self.side.distribution.year: self.side.distribution.pk}

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @rule(year=st.integers(2024, 2030), fen=st.integers(1, 10**9))
    def prepare(self, year, fen):
        current = self.years.get(year)
        if current and Distribution.objects.get(pk=current).status != "reversed":
            return
        distribution = services.prepare_distribution(
            self.side.project, year, Decimal(fen) / 100, self.users["town"]
        )
        self.years[year] = distribution.pk

    @precondition(lambda self: self.years)
    @rule(data=st.data(), twice=st.booleans())
    def approve_and_post(self, data, twice):
        pk = data.draw(st.sampled_from(sorted(self.years.values())))
        distribution = Distribution.objects.get(pk=pk)
        if distribution.status == "draft":
            services.approve_distribution(distribution, self.users["leader"])
        if distribution.status in ("draft", "approved"):
            for _ in range(2 if twice else 1):
                services.post_distribution(distribution, self.users["taskforce"])

    @precondition(lambda self: self.years)
    @rule(data=st.data())
    def reverse(self, data):
        pk = data.draw(st.sampled_from(sorted(self.years.values())))
        distribution = Distribution.objects.get(pk=pk)
        if distribution.status == "posted":
            services.reverse_distribution(distribution, self.users["taskforce"])

    @rule(fen=st.integers(1, 30_000))
    def disburse(self, fen):
        allocation = Allocation.objects.get(pk=self.side.allocation.pk)
        amount = Decimal(fen) / 100
        if allocation.disbursed + amount <= allocation.amount:
            funds.save_disbursement(
                Disbursement(allocation=allocation, amount=amount, paid_on=date(2026, 5, 1)),
                self.users["taskforce"],
            )

    @invariant()
    def reconciles(self):
        assert reconcile.problems() == []


Ledger.TestCase.settings = settings(
    max_examples=10,
    stateful_step_count=10,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def test_random_postings_reversals_and_payments_always_reconcile(db):
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(Ledger, settings=Ledger.TestCase.settings)
