"""Funds reconcile: allocations within the budget, disbursements within the allocation,
even from two connections at once; departments manage only their own sources."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from cunqi.core.models import Department
from cunqi.funds import services
from cunqi.funds.models import Allocation, Disbursement, FundBudget, FundSource
from tests import factories
from tests.i18n import language_client

D = Decimal


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make_budget(amount="1000000.00", department="agriculture") -> FundBudget:
    source = FundSource.objects.create(
        name=f"{department}衔接资金",
        kind=FundSource.Kind.HORIZONTAL,
        department=Department.objects.get(code=department),
    )
    return services.save_budget(FundBudget(source=source, year=2026, amount=D(amount)))


def allocate(budget, project, amount) -> Allocation:
    return services.save_allocation(
        Allocation(budget=budget, project=project, amount=D(amount), allocated_on=date(2026, 3, 1))
    )


def disburse(allocation, amount) -> Disbursement:
    return services.save_disbursement(
        Disbursement(allocation=allocation, amount=D(amount), paid_on=date(2026, 4, 1))
    )


@pytest.mark.django_db
def test_allocations_and_disbursements_keep_running_totals(project):
    budget = make_budget()
    first = allocate(budget, project, "600000.00")
    allocate(budget, project, "400000.00")
    budget.refresh_from_db()
    assert (budget.allocated, budget.remaining) == (D("1000000.00"), D("0.00"))
    with pytest.raises(ValidationError, match=r"Only 0\.00 yuan of this budget"):
        allocate(budget, project, "0.01")
    disburse(first, "250000.00")
    payment = disburse(first, "350000.00")
    with pytest.raises(ValidationError, match=r"Only 0\.00 yuan of this allocation"):
        disburse(first, "1.00")
    payment.amount = D("300000.00")
    services.save_disbursement(payment)
    first.refresh_from_db()
    assert first.disbursed == D("550000.00")
    first.amount = D("500000.00")
    with pytest.raises(ValidationError, match="already disbursed"):
        services.save_allocation(first)
    services.delete_disbursement(payment)
    first.refresh_from_db()
    assert first.disbursed == D("250000.00")
    with pytest.raises(ValidationError, match="stays"):
        services.delete_allocation(first)
    budget.amount = D("900000.00")
    with pytest.raises(ValidationError, match="already allocated"):
        services.save_budget(budget)


@pytest.mark.django_db
def test_moving_an_allocation_to_another_budget_moves_its_total(project):
    old, new = make_budget(), make_budget(department="water")
    allocation = allocate(old, project, "300000.00")
    allocation.budget = new
    services.save_allocation(allocation)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.allocated, new.allocated) == (D("0.00"), D("300000.00"))


@pytest.mark.django_db
def test_the_database_refuses_an_overdraw_that_bypasses_the_services(project):
    budget = make_budget("100.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        FundBudget.objects.filter(pk=budget.pk).update(allocated=D("100.01"))
    allocation = allocate(budget, project, "100.00")
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=allocation.pk).update(disbursed=D("100.01"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_allocations_cannot_overdraw_a_budget():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    project = factories.ProjectFactory()
    budget = make_budget("1000.00")
    workers = 4
    barrier = threading.Barrier(workers)
    outcomes = []

    def attempt():
        barrier.wait()
        try:
            allocate(budget, project, "400.00")
            outcomes.append("allocated")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["allocated", "allocated", "refused", "refused"]
    budget.refresh_from_db()
    assert budget.allocated == D("800.00") == sum(a.amount for a in budget.allocations.all())

    allocation = budget.allocations.first()
    barrier = threading.Barrier(workers)
    outcomes.clear()

    def pay():
        barrier.wait()
        try:
            disburse(allocation, "150.00")
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "paid", "refused", "refused"]
    allocation.refresh_from_db()
    assert allocation.disbursed == D("300.00")


@pytest.mark.django_db
def test_a_department_allocates_only_from_its_own_sources(project):
    own, other = make_budget(), make_budget(department="water")
    user = factories.UserFactory(
        role="department", department=Department.objects.get(code="agriculture")
    )
    client = language_client("en")
    client.force_login(user)
    form = client.get(reverse("funds:allocation_add")).content.decode()
    assert f'value="{own.pk}"' in form and f'value="{other.pk}"' not in form
    refused = client.post(
        reverse("funds:allocation_add"),
        {
            "budget": other.pk,
            "project": project.pk,
            "amount": "100.00",
            "allocated_on": "2026-03-01",
        },
    )
    assert refused.status_code == 400 and not Allocation.objects.exists()
    too_much = client.post(
        reverse("funds:allocation_add"),
        {
            "budget": own.pk,
            "project": project.pk,
            "amount": "2000000.00",
            "allocated_on": "2026-03-01",
        },
    )
    assert too_much.status_code == 400
    assert "Only 1,000,000.00 yuan of this budget is left" in too_much.content.decode()
    done = client.post(
        reverse("funds:allocation_add"),
        {"budget": own.pk, "project": project.pk, "amount": "100.00", "allocated_on": "2026-03-01"},
    )
    allocation = Allocation.objects.get()
    assert done.url == allocation.get_absolute_url()
    assert client.get(reverse("funds:allocation_edit", args=[allocation.pk])).status_code == 200
    other_allocation = allocate(other, project, "5.00")
    assert (
        client.get(reverse("funds:allocation_edit", args=[other_allocation.pk])).status_code == 403
    )
    page = client.get(project.get_absolute_url()).content.decode()
    assert "105.00 / 0.00" in page


@pytest.mark.django_db
def test_the_project_lists_its_policies_with_reasons(project):
    from cunqi.funds.models import Policy

    fits = Policy.objects.create(
        title="Orchard subsidy", issuer="City", issued_on=date(2026, 1, 1), supports="Orchards"
    )
    fits.industries.set([project.industry])
    big = Policy.objects.create(
        title="Big-ticket grant",
        issuer="Province",
        issued_on=date(2026, 1, 1),
        supports="Large projects",
        min_investment=project.planned_investment + D("1.00"),
    )
    client = language_client("en")
    client.force_login(factories.UserFactory(role="taskforce"))
    page = client.get(reverse("funds:project_policies", args=[project.pk])).content.decode()
    assert page.index(fits.title) < page.index(big.title)
    assert "The project&#x27;s industry is one the policy supports." in page
    assert "is below the minimum of" in page
