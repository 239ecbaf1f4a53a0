"""Rent payments: a lease year is paid in parts, never beyond what is due."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from cunqi.benefits import selectors, services
from cunqi.benefits.models import RentPayment
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


@pytest.fixture
def side(db):
    return build_side("A")  # 10 mu × 300 yuan a year from 2024; 1,500 paid for year 1


def pay(side, amount, lease_year=1) -> RentPayment:
    return services.record_rent_payment(
        RentPayment(
            transfer=side.land_transfer,
            lease_year=lease_year,
            paid_on=date(2024, 9, 1),
            amount=Decimal(amount),
        ),
        factories.task_force(),
    )


def test_the_account_shows_due_paid_and_outstanding(side):
    pay(side, "1000.00")
    first, second = selectors.rent_account(side.land_transfer, date(2025, 6, 1))[:3:2]
    assert (first.year.amount, first.paid, first.outstanding) == (
        Decimal("3000.00"),
        Decimal("2500.00"),
        Decimal("500.00"),
    )
    assert first.overdue
    # Year 3 starts in 2026: owed, not yet overdue.
    assert second.paid == Decimal("0.00") and second.outstanding == Decimal("3000.00")
    assert not second.overdue


def test_a_year_cannot_be_paid_beyond_what_is_due(side):
    with pytest.raises(ValidationError) as error:
        pay(side, "1500.01")
    assert "amount" in error.value.message_dict
    pay(side, "1500.00")
    assert RentPayment.objects.filter(transfer=side.land_transfer).count() == 2


def test_a_year_beyond_the_lease_is_refused(side):
    with pytest.raises(ValidationError) as error:
        pay(side, "1.00", lease_year=11)
    assert "lease_year" in error.value.message_dict


def test_a_lease_cannot_shrink_below_what_was_paid(side):
    transfer = side.land_transfer
    transfer.rent_per_mu = Decimal("100.00")  # 1,000 a year, but 1,500 are paid for year 1
    with pytest.raises(ValidationError) as error:
        services.save_land_transfer(transfer, factories.task_force())
    assert "1500.00" in " ".join(error.value.messages)


def test_the_page_refuses_an_overpayment_at_the_field_in_both_languages(side):
    users = build_users(side)
    data = {
        "transfer": side.land_transfer.pk,
        "lease_year": "1",
        "paid_on": "2024-09-01",
        "amount": "2000.00",
    }
    for language, text in (("en", "at most 1500.00 more"), ("zh-hans", "最多还可付1500.00")):
        client = language_client(language)
        client.force_login(users["village"])
        response = client.post(reverse("benefits:rentpayment_add"), data)
        assert response.status_code == 400
        assert text in response.content.decode()
    assert RentPayment.objects.count() == 1  # the scoping world's own
    page = client.get(side.land_transfer.get_absolute_url()).content.decode()
    assert "1,500.00" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_payments_cannot_overpay_a_year():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    side = build_side("A")
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt():
        barrier.wait()
        try:
            pay(side, "1000.00")
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["paid", "refused"]
    assert sum(p.amount for p in side.land_transfer.payments.all()) == Decimal("2500.00")
