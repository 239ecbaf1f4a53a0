"""Funds reconcile: allocations within the budget, disbursements within the allocation,
even from two connections at once; departments manage only their own sources."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation

from cunqi.core.doors import door
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
    return services.save_budget(
        FundBudget(source=source, year=2026, amount=D(amount)), factories.task_force()
    )


def allocate(budget, project, amount) -> Allocation:
    return services.save_allocation(
        Allocation(budget=budget, project=project, amount=D(amount), allocated_on=date(2026, 3, 1)),
        factories.task_force(),
    )


def disburse(allocation, amount) -> Disbursement:
    return services.save_disbursement(
        Disbursement(allocation=allocation, amount=D(amount), paid_on=date(2026, 4, 1)),
        factories.task_force(),
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
    services.save_disbursement(payment, factories.task_force())
    first.refresh_from_db()
    assert first.disbursed == D("550000.00")
    first.amount = D("500000.00")
    with pytest.raises(ValidationError, match="already disbursed"):
        services.save_allocation(first, factories.task_force())
    door(Disbursement).delete(factories.task_force(), payment)
    first.refresh_from_db()
    assert first.disbursed == D("250000.00")
    with pytest.raises(ValidationError, match="stays"):
        door(Allocation).delete(factories.task_force(), first)
    budget.amount = D("900000.00")
    with pytest.raises(ValidationError, match="already allocated"):
        services.save_budget(budget, factories.task_force())


@pytest.mark.django_db
def test_moving_an_allocation_to_another_budget_moves_its_total(project):
    old, new = make_budget(), make_budget(department="water")
    allocation = allocate(old, project, "300000.00")
    allocation.budget = new
    services.save_allocation(allocation, factories.task_force())
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.allocated, new.allocated) == (D("0.00"), D("300000.00"))


@pytest.mark.django_db
def test_the_database_refuses_an_overdraw_that_bypasses_the_services(project):
    budget = make_budget("100.00")
    with pytest.raises(IntegrityError), transaction.atomic(), disable_auditlog():
        FundBudget.objects.filter(pk=budget.pk).update(allocated=D("100.01"))
    allocation = allocate(budget, project, "100.00")
    with pytest.raises(IntegrityError), transaction.atomic(), disable_auditlog():
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


@pytest.fixture
def clerks(db):
    """Two users of the department whose source pays, and a village cadre."""
    agriculture = Department.objects.get(code="agriculture")
    return (
        factories.UserFactory(role="department", department=agriculture),
        factories.UserFactory(role="department", department=agriculture),
    )


def recorded_payment(project, maker) -> Disbursement:
    allocation = allocate(make_budget(), project, "1000.00")
    payment = Disbursement(allocation=allocation, amount=D("10.00"), paid_on=date(2026, 4, 1))
    return services.save_disbursement(payment, maker)


def client_of(user):
    client = language_client("en")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_disbursement_is_approved_by_someone_other_than_whoever_recorded_it(project, clerks):
    maker, checker = clerks
    allocation = allocate(make_budget(), project, "1000.00")
    recorded = client_of(maker).post(
        reverse("funds:disbursement_add"),
        {"allocation": allocation.pk, "amount": "400.00", "paid_on": "2026-04-01"},
    )
    payment = Disbursement.objects.get()
    assert recorded.url == payment.get_absolute_url()
    assert (payment.status, payment.recorded_by) == (Disbursement.Status.RECORDED, maker)
    approve = reverse("funds:disbursement_action", args=[payment.pk, "approve"])

    refused = client_of(maker).post(approve, follow=True)
    assert "Whoever recorded a disbursement cannot approve it." in refused.content.decode()
    payment.refresh_from_db()
    assert payment.status == Disbursement.Status.RECORDED

    page = client_of(checker).get(payment.get_absolute_url()).content.decode()
    assert approve in page
    client_of(checker).post(approve)
    payment.refresh_from_db()
    assert (payment.status, payment.approved_by) == (Disbursement.Status.APPROVED, checker)
    assert payment.approved_at is not None
    # Approved, it is fixed: no edit, no delete, no second approval.
    edit = reverse("funds:disbursement_edit", args=[payment.pk])
    assert client_of(checker).get(edit).status_code == 403
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.save_disbursement(payment, checker)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        door(Disbursement).delete(factories.task_force(), payment)
    with pytest.raises(ValidationError, match="Only a disbursement awaiting approval"):
        services.approve_disbursement(payment, factories.UserFactory(role="taskforce"))


@pytest.mark.django_db
def test_whoever_changes_a_waiting_disbursement_becomes_its_maker(project, clerks):
    first, second = clerks
    payment = recorded_payment(project, first)
    payment.amount = D("12.00")
    services.save_disbursement(payment, second)
    with pytest.raises(ValidationError, match="cannot approve"):
        services.approve_disbursement(payment, second)
    assert services.approve_disbursement(payment, first).approved_by == first


@pytest.mark.django_db
def test_only_the_paying_department_and_the_task_force_approve(project, clerks):
    maker, _checker = clerks
    payment = recorded_payment(project, maker)
    town = factories.UserFactory(role="town", town=project.villages.first().town)
    water = factories.UserFactory(
        role="department", department=Department.objects.get(code="water")
    )
    approve = reverse("funds:disbursement_action", args=[payment.pk, "approve"])
    assert approve not in client_of(town).get(payment.get_absolute_url()).content.decode()
    assert client_of(town).post(approve).status_code == 403
    # Another department sees the payment but does not approve what its source pays.
    assert client_of(water).post(approve).status_code == 403
    payment.refresh_from_db()
    assert payment.status == Disbursement.Status.RECORDED


@pytest.mark.django_db
def test_the_database_refuses_an_approval_by_the_maker_that_bypasses_the_services(project, clerks):
    maker, _checker = clerks
    payment = recorded_payment(project, maker)
    with pytest.raises(IntegrityError), transaction.atomic(), disable_auditlog():
        Disbursement.objects.filter(pk=payment.pk).update(
            status=Disbursement.Status.APPROVED, approved_by=maker
        )
