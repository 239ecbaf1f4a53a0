"""Distributions: payouts exact to the fen, four eyes, posted once, an append-only journal."""

import threading
from decimal import Decimal

import pytest
from auditlog.context import disable_auditlog
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.urls import reverse

from cunqi.benefits import payouts, services
from cunqi.benefits.models import Distribution, JournalEntry, JournalLine, Payout
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


def test_allocate_splits_the_villagers_pool_by_weight():
    stakes = [
        payouts.StakeShare(1, Decimal("61"), False),
        payouts.StakeShare(2, Decimal("39"), True),
    ]
    lines = payouts.allocate(Decimal("1000.00"), stakes, {2: [(10, Decimal(1)), (11, Decimal(2))]})
    assert [(line.stake_id, line.household_id, line.amount) for line in lines] == [
        (1, None, Decimal("610.00")),
        (2, 10, Decimal("130.00")),
        (2, 11, Decimal("260.00")),
    ]


def test_allocate_refuses_a_pool_without_households():
    with pytest.raises(payouts.NoHouseholds):
        payouts.allocate(Decimal("1.00"), [payouts.StakeShare(7, Decimal("100"), True)], {7: []})


@pytest.fixture
def world(db):
    side = build_side("A")
    for number, members in (("101", 1), ("102", 2), ("103", 4)):
        factories.HouseholdFactory(village=side.village, number=number, members=members)
    return side, build_users(side)


def prepare(side, users, profit="100000.01", year=2025):
    return services.prepare_distribution(side.project, year, Decimal(profit), users["town"])


def test_payouts_sum_exactly_to_the_profit(world):
    side, users = world
    distribution = prepare(side, users)
    assert distribution.payouts.aggregate(total=Sum("amount"))["total"] == Decimal("100000.01")
    villagers = distribution.payouts.filter(household__isnull=False)
    # The 39% pool split per person: the scoping world's household has 3 members, then 1, 2, 4.
    assert villagers.count() == 4
    assert villagers.aggregate(total=Sum("amount"))["total"] == Decimal("39000.00")


@pytest.mark.parametrize("profit", ["0", "-5"])
def test_profit_must_be_positive(world, profit):
    side, users = world
    before = Distribution.objects.count()
    with pytest.raises(ValidationError):
        prepare(side, users, profit=profit)
    assert Distribution.objects.count() == before


def test_a_year_without_a_structure_is_refused(world):
    side, users = world
    with pytest.raises(ValidationError):
        prepare(side, users, year=2020)


def test_preparer_cannot_approve_and_another_can(world):
    side, users = world
    distribution = services.prepare_distribution(
        side.project, 2025, Decimal("1000.00"), users["taskforce"]
    )
    with pytest.raises(ValidationError, match="分红编制人不能审核"):
        services.approve_distribution(distribution, users["taskforce"])
    with pytest.raises(IntegrityError), transaction.atomic(), disable_auditlog():
        Distribution.objects.filter(pk=distribution.pk).update(approved_by=users["taskforce"])
    with pytest.raises(PermissionDenied):  # a town prepares; it never approves
        services.approve_distribution(distribution, users["town"])
    services.approve_distribution(distribution, users["leader"])
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.APPROVED


def approved(world_value):
    side, users = world_value
    distribution = prepare(side, users)
    return services.approve_distribution(distribution, users["leader"]), users


def test_posting_twice_posts_once_and_the_entry_balances(world):
    distribution, users = approved(world)
    first = services.post_distribution(distribution, users["taskforce"])
    second = services.post_distribution(distribution, users["taskforce"])
    assert first.pk == second.pk
    assert JournalEntry.objects.filter(distribution=distribution).count() == 1
    assert JournalLine.objects.aggregate(total=Sum("amount"))["total"] == Decimal("0.00")


def test_only_an_approved_distribution_posts(world):
    side, users = world
    with pytest.raises(ValidationError):
        services.post_distribution(prepare(side, users), users["taskforce"])


@pytest.mark.parametrize("operation", ["update", "delete", "raw"])
def test_the_journal_is_append_only(world, operation):
    distribution, users = approved(world)
    services.post_distribution(distribution, users["taskforce"])
    line = JournalLine.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        if operation == "update":
            JournalLine.objects.filter(pk=line.pk).update(amount=Decimal("1.00"))
        elif operation == "delete":
            JournalEntry.objects.all().delete()
        else:
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM benefits_journalline WHERE id = %s", [line.pk])
    assert JournalLine.objects.filter(pk=line.pk, amount=line.amount).exists()


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="deferred constraint triggers are PostgreSQL's"
)


def check_deferred_constraints():
    """What the commit would check, checked now (the test's transaction never commits)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@postgres_only
def test_postings_and_reversals_balance_at_commit(world):
    distribution, users = approved(world)
    services.post_distribution(distribution, users["taskforce"])
    services.reverse_distribution(distribution, users["taskforce"])
    check_deferred_constraints()


@postgres_only
@pytest.mark.parametrize("lines", [[], ["1.00"], ["-100.00", "99.99"]], ids=["none", "one", "off"])
def test_an_entry_that_does_not_balance_is_refused_at_commit_however_written(world, lines):
    distribution, users = approved(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO benefits_journalentry (distribution_id, kind, created_at, "
                "created_by_id, memo) VALUES (%s, 'posting', now(), %s, '') RETURNING id",
                [distribution.pk, users["taskforce"].pk],
            )
            [entry_id] = cursor.fetchone()
        JournalLine.objects.bulk_create(
            JournalLine(entry_id=entry_id, account="village:1", amount=Decimal(amount))
            for amount in lines
        )
        check_deferred_constraints()
    assert not JournalEntry.objects.filter(distribution=distribution).exists()


def test_payouts_freeze_once_approved(world):
    distribution, _users = approved(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payout.objects.filter(distribution=distribution).update(amount=Decimal("0"))


def test_a_correction_is_a_reversal_and_a_new_distribution(world):
    distribution, users = approved(world)
    services.post_distribution(distribution, users["taskforce"])
    services.reverse_distribution(distribution, users["taskforce"])
    assert JournalLine.objects.aggregate(total=Sum("amount"))["total"] == Decimal("0.00")
    household_lines = JournalLine.objects.filter(account__startswith="household:")
    assert household_lines.aggregate(total=Sum("amount"))["total"] == Decimal("0.00")
    side = world[0]
    again = services.prepare_distribution(side.project, 2025, Decimal("90000.00"), users["town"])
    assert again.status == Distribution.Status.DRAFT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL"
)
def test_two_concurrent_posts_post_once():
    side = build_side("A")
    users = build_users(side)
    distribution = services.approve_distribution(
        services.prepare_distribution(side.project, 2025, Decimal("5000.00"), users["town"]),
        users["leader"],
    )
    barrier = threading.Barrier(4)
    results, errors = [], []

    def post():
        try:
            barrier.wait()
            results.append(services.post_distribution(distribution, users["taskforce"]).pk)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1
    assert JournalEntry.objects.filter(distribution=distribution).count() == 1


def test_pages_prepare_approve_and_post(world):
    side, users = world
    town = language_client("en")
    town.force_login(users["town"])
    response = town.post(
        reverse("benefits:distribution_add"),
        {"project": side.project.pk, "year": 2025, "profit": "1200.00"},
    )
    assert response.status_code == 302
    distribution = Distribution.objects.get(year=2025)
    # The preparer sees no approve button and cannot approve by posting to the action.
    assert (
        town.post(
            reverse("benefits:distribution_action", args=[distribution.pk, "approve"])
        ).status_code
        == 403
    )
    leader = language_client("en")
    leader.force_login(users["leader"])
    assert "Approve" in leader.get(distribution.get_absolute_url()).content.decode()
    leader.post(reverse("benefits:distribution_action", args=[distribution.pk, "approve"]))
    taskforce = language_client("en")
    taskforce.force_login(users["taskforce"])
    taskforce.post(reverse("benefits:distribution_action", args=[distribution.pk, "post"]))
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.POSTED
    assert (
        taskforce.post(
            reverse("benefits:distribution_action", args=[distribution.pk, "nonsense"])
        ).status_code
        == 404
    )


def test_bad_profit_on_the_page_is_refused_at_the_field(world):
    side, users = world
    town = language_client("zh-hans")
    town.force_login(users["town"])
    response = town.post(
        reverse("benefits:distribution_add"),
        {"project": side.project.pk, "year": 2025, "profit": "-1"},
    )
    assert response.status_code == 400
    assert not Distribution.objects.filter(year=2025).exists()
    assert "profit" in response.context["form"].errors


def test_household_payouts_are_hidden_outside_the_users_scope(world):
    side, users = world
    distribution = prepare(side, users)
    enterprise = language_client("en")
    enterprise.force_login(users["enterprise"])
    response = enterprise.get(distribution.get_absolute_url())
    assert response.status_code == 200
    assert response.context["hidden_payouts"] == 4
    assert all(payout.household_id is None for payout in response.context["payouts"])
    village = language_client("en")
    village.force_login(users["village"])
    assert village.get(distribution.get_absolute_url()).context["hidden_payouts"] == 0


def test_another_towns_user_gets_404(world):
    side, users = world
    distribution = prepare(side, users)
    other = build_side("B")
    stranger = factories.UserFactory(role="town", town=other.town)
    client = language_client("en")
    client.force_login(stranger)
    assert client.get(distribution.get_absolute_url()).status_code == 404
    assert (
        client.post(
            reverse("benefits:distribution_action", args=[distribution.pk, "approve"])
        ).status_code
        == 404
    )


def test_a_distribution_beyond_draft_and_its_structure_cannot_be_edited(world):
    distribution, users = approved(world)
    client = language_client("en")
    client.force_login(users["taskforce"])
    assert (
        client.get(reverse("benefits:distribution_edit", args=[distribution.pk])).status_code == 403
    )
    assert (
        client.post(reverse("benefits:distribution_delete", args=[distribution.pk])).status_code
        == 403
    )
    structure = distribution.structure
    assert (
        client.get(reverse("benefits:equitystructure_edit", args=[structure.pk])).status_code == 403
    )
    with pytest.raises(ValidationError):
        services.save_structure(structure, list(structure.stakes.all()), factories.task_force())
    page = client.get(distribution.get_absolute_url()).content.decode()
    assert reverse("benefits:distribution_edit", args=[distribution.pk]) not in page
