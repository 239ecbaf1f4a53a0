"""Equity structures: shares sum to exactly 100%, enforced by the form, the service and
the database itself; the stakes of a complete structure are frozen."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from cunqi.benefits.equity import shares_problem
from cunqi.benefits.models import EquityStructure, Stake
from cunqi.benefits.services import save_structure
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


@pytest.mark.parametrize(
    ("shares", "problem"),
    [
        (["10", "10", "41", "39"], None),
        (["100"], None),
        (["33.33", "33.33", "33.34"], None),
        ([], "empty"),
        (["10", "10", "41", "38"], "sum"),
        (["10", "10", "41", "40"], "sum"),
        (["0", "100"], "range"),
        (["-10", "110"], "range"),
    ],
)
def test_shares_problem(shares, problem):
    assert shares_problem([Decimal(share) for share in shares]) == problem


@pytest.fixture
def side(db):
    return build_side("A")


def test_the_seed_structure_is_complete(side):
    structure = side.equity_structure
    assert structure.is_complete
    assert [stake.share for stake in structure.stakes.all()] == [
        Decimal("10.00"),
        Decimal("10.00"),
        Decimal("41.00"),
        Decimal("39.00"),
    ]


def test_service_refuses_shares_not_summing_to_100_and_saves_nothing(side):
    before = EquityStructure.objects.count()
    with pytest.raises(ValidationError):
        save_structure(
            EquityStructure(project=side.project, valid_from=date(2025, 1, 1)),
            [
                Stake(
                    holder=Stake.Holder.VILLAGE_COLLECTIVE,
                    village=side.village,
                    share=Decimal("99.99"),
                )
            ],
            factories.task_force(),
        )
    assert EquityStructure.objects.count() == before


def test_database_refuses_completing_a_structure_that_does_not_sum_to_100(side):
    structure = EquityStructure.objects.create(project=side.project, valid_from=date(2025, 1, 1))
    Stake.objects.create(
        structure=structure, holder="village_collective", village=side.village, share=Decimal("60")
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EquityStructure.objects.filter(pk=structure.pk).update(is_complete=True)


@pytest.mark.parametrize("operation", ["update", "insert", "delete", "raw"])
def test_database_freezes_the_stakes_of_a_complete_structure(side, operation):
    structure = side.equity_structure
    stake = structure.stakes.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        if operation == "update":
            with disable_auditlog():  # behind the doors' backs, unrecorded
                Stake.objects.filter(pk=stake.pk).update(share=Decimal("11"))
        elif operation == "insert":
            Stake.objects.create(
                structure=structure,
                holder="enterprise",
                enterprise=side.enterprise,
                share=Decimal("1"),
            )
        elif operation == "delete":
            Stake.objects.filter(pk=stake.pk).delete()
        else:
            with connection.cursor() as cursor:
                cursor.execute("UPDATE benefits_stake SET share = 1 WHERE id = %s", [stake.pk])
    stake.refresh_from_db()
    assert stake.share == Decimal("10.00")


def test_deleting_a_structure_removes_its_stakes(side):
    structure = factories.equity_structure(
        side.project, side.village, side.enterprise, valid_from=date(2026, 1, 1)
    )
    structure.delete()
    assert not Stake.objects.filter(structure_id=structure.pk).exists()


def stake_post(side, shares, **overrides) -> dict:
    rows = [
        {"holder": "village_collective", "village": side.village.pk},
        {"holder": "village_group", "village_group": side.group.pk},
        {"holder": "enterprise", "enterprise": side.enterprise.pk},
        {"holder": "villagers", "village": side.village.pk},
    ]
    data = {
        "project": side.project.pk,
        "valid_from": "2025-01-01",
        "villagers_rule": "per_person",
        "stakes-TOTAL_FORMS": "4",
        "stakes-INITIAL_FORMS": "0",
        "stakes-MIN_NUM_FORMS": "0",
        "stakes-MAX_NUM_FORMS": "1000",
    }
    for index, (row, share) in enumerate(zip(rows, shares, strict=True)):
        for key, value in {**row, "share": share}.items():
            data[f"stakes-{index}-{key}"] = value
    data.update(overrides)
    return data


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_form_refuses_shares_not_summing_to_100_in_the_users_language(side, language):
    users = build_users(side)
    client = language_client(language)
    client.force_login(users["town"])
    before = EquityStructure.objects.count()
    response = client.post(
        reverse("benefits:equitystructure_add"), stake_post(side, ["10", "10", "41", "38"])
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert ("100%" in text) and ("99.00" in text)
    assert ("必须" in text) if language == "zh-hans" else ("must sum to exactly 100%" in text)
    assert EquityStructure.objects.count() == before


def test_form_saves_a_complete_structure_and_records_history(side):
    users = build_users(side)
    client = language_client("zh-hans")
    client.force_login(users["town"])
    response = client.post(
        reverse("benefits:equitystructure_add"), stake_post(side, ["10", "10", "41", "39"])
    )
    assert response.status_code == 302
    structure = EquityStructure.objects.get(project=side.project, valid_from="2025-01-01")
    assert structure.is_complete and structure.stakes.count() == 4
    assert LogEntry.objects.get_for_object(structure).filter(actor=users["town"]).exists()


def test_form_refuses_a_stake_in_another_towns_village(side):
    other = build_side("B")
    users = build_users(side)
    client = language_client("en")
    client.force_login(users["town"])
    data = stake_post(side, ["10", "10", "41", "39"], **{"stakes-3-village": other.village.pk})
    response = client.post(reverse("benefits:equitystructure_add"), data)
    assert response.status_code == 400
    assert not EquityStructure.objects.filter(valid_from="2025-01-01").exists()


def test_a_second_structure_from_the_same_date_is_refused(side):
    with pytest.raises(ValidationError):
        factories.equity_structure(side.project, side.village, side.enterprise, group=side.group)


def test_a_share_outside_0_to_100_is_refused_on_the_page(side):
    users = build_users(side)
    client = language_client("en")
    client.force_login(users["town"])
    before = EquityStructure.objects.count()
    response = client.post(
        reverse("benefits:equitystructure_add"), stake_post(side, ["110", "-10", "0", "0"])
    )
    assert response.status_code == 400
    assert "more than 0% and at most 100%" in response.content.decode()
    assert EquityStructure.objects.count() == before
