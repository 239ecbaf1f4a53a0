"""A province's year at once: prepare, approve and post many distributions in bulk, under
the same rules as one at a time."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum

from cunqi.benefits import services
from cunqi.benefits.models import Distribution, JournalLine, Payout
from tests import factories
from tests.scoping_world import build_side, build_users


@pytest.fixture
def world(db):
    sides = [build_side(label) for label in "ABC"]
    # The scoping world's own drafts are for 2024; these tests distribute 2025.
    return sides, build_users(sides[0])


def profits(sides, amount="100000.01"):
    return {side.project.pk: Decimal(amount) for side in sides}


def test_bulk_matches_one_at_a_time(world):
    sides, users = world
    assert services.prepare_distributions(2025, profits(sides[:2]), users["taskforce"]) == 2
    one = services.prepare_distribution(
        sides[2].project, 2025, Decimal("100000.01"), users["taskforce"]
    )
    bulk = Distribution.objects.get(project=sides[0].project, year=2025)
    shape = lambda d: sorted(  # noqa: E731
        (p.stake.holder, p.household is not None, p.amount)
        for p in d.payouts.select_related("stake")
    )
    assert shape(bulk) == shape(one)
    assert bulk.payouts.aggregate(total=Sum("amount"))["total"] == Decimal("100000.01")


def test_a_town_prepares_in_bulk_only_its_own_projects(world):
    sides, users = world
    with pytest.raises(PermissionDenied):
        services.prepare_distributions(2025, profits(sides), users["town"])
    assert services.prepare_distributions(2025, profits(sides[:1]), users["town"]) == 1
    with pytest.raises(PermissionDenied):  # a town never approves
        services.approve_distributions(
            list(Distribution.objects.filter(year=2025).values_list("pk", flat=True)),
            users["town"],
        )


def test_any_problem_refuses_the_whole_batch_naming_each_project(world):
    sides, users = world
    bad = {
        **profits(sides),
        sides[1].project.pk: Decimal("0"),
        factories.ProjectFactory().pk: Decimal("5"),
    }
    with pytest.raises(ValidationError) as error:
        services.prepare_distributions(2025, bad, users["taskforce"], chunk_size=1)
    messages = error.value.messages
    assert len(messages) == 2
    assert messages[0].startswith(sides[1].project.code)
    assert not Distribution.objects.filter(year=2025).exists()
    assert not Payout.objects.filter(distribution__year=2025).exists()


def test_a_project_distributed_already_that_year_is_refused(world):
    sides, users = world
    services.prepare_distribution(sides[0].project, 2025, Decimal("10.00"), users["town"])
    with pytest.raises(ValidationError):
        services.prepare_distributions(2025, profits(sides), users["taskforce"])
    assert Distribution.objects.filter(year=2025).count() == 1


def test_approval_in_bulk_keeps_four_eyes(world):
    sides, users = world
    services.prepare_distributions(2025, profits(sides), users["taskforce"])
    ids = list(Distribution.objects.filter(year=2025).values_list("pk", flat=True))
    with pytest.raises(ValidationError, match="分红编制人不能审核"):
        services.approve_distributions(ids, users["taskforce"])
    assert not Distribution.objects.filter(status=Distribution.Status.APPROVED).exists()
    services.approve_distributions(ids, users["leader"])
    assert set(Distribution.objects.filter(pk__in=ids).values_list("approved_by", flat=True)) == {
        users["leader"].pk
    }


def test_bulk_posting_is_exact_idempotent_and_refuses_drafts(world):
    sides, users = world
    services.prepare_distributions(2025, profits(sides), users["taskforce"])
    ids = list(Distribution.objects.filter(year=2025).values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        services.post_distributions(ids, users["taskforce"])
    services.approve_distributions(ids, users["leader"])
    assert services.post_distributions(ids[:1], users["taskforce"]) == 1
    # Running the whole batch again finishes it and posts nothing twice.
    assert services.post_distributions(ids, users["taskforce"], chunk_size=2) == 2
    assert services.post_distributions(ids, users["taskforce"]) == 0
    lines = JournalLine.objects.filter(entry__distribution__in=ids)
    assert lines.aggregate(total=Sum("amount"))["total"] == Decimal("0.00")
    assert lines.count() == 3 * (1 + Payout.objects.filter(distribution=ids[0]).count())
    household_line = lines.filter(payout__household=sides[0].household).get()
    assert household_line.account == f"household:{sides[0].household.pk}"
    assert household_line.amount == household_line.payout.amount
    assert lines.filter(account=f"project:{sides[0].project.pk}").get().amount == Decimal(
        "-100000.01"
    )
    assert lines.filter(account=f"enterprise:{sides[0].enterprise.pk}").exists()
    assert lines.filter(account=f"village_group:{sides[0].group.pk}").exists()
    assert lines.filter(account=f"village:{sides[0].village.pk}").exists()
