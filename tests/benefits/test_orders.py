"""Orders: fulfilment, amounts due and paid, and deliveries that fit the order."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cunqi.benefits import selectors
from cunqi.benefits.models import Delivery
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


@pytest.fixture
def world(db):
    side = build_side("A")
    return side, build_users(side)


def test_fulfilment_rate_and_amounts(world):
    side, _users = world
    Delivery.objects.create(
        order=side.order,
        village=side.village,
        delivered_on=date(2025, 11, 1),
        quantity=Decimal("47.50"),
    )
    figures = selectors.fulfilment(side.order)
    assert figures.delivered == Decimal("50.00")
    assert figures.rate == Decimal("50.0")
    assert figures.due == Decimal("400000.00")
    assert figures.paid == Decimal("10000.00")
    assert figures.outstanding == Decimal("390000.00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"delivered_on": "2026-01-05"}, "delivered_on"),
        ({"amount_paid": "20000.01"}, "amount_paid"),  # 2.5 t × 8,000 = 20,000 due
        ({"quantity": "0"}, "quantity"),
        ({"household": "other"}, "household"),
    ],
)
def test_bad_deliveries_are_refused_at_their_field(world, changes, field):
    side, users = world
    if changes.get("household") == "other":
        changes["household"] = factories.HouseholdFactory().pk
    client = language_client("en")
    client.force_login(users["village"])
    data = {
        "order": side.order.pk,
        "village": side.village.pk,
        "delivered_on": "2025-10-10",
        "quantity": "2.5",
        "amount_paid": "0",
        **changes,
    }
    before = Delivery.objects.count()
    response = client.post(reverse("benefits:delivery_add"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Delivery.objects.count() == before


def test_a_season_ending_before_it_starts_is_refused(world):
    side, users = world
    client = language_client("en")
    client.force_login(users["enterprise"])
    data = {
        "enterprise": side.enterprise.pk,
        "product": "红枣",
        "quantity": "10",
        "unit": "吨",
        "unit_price": "8000",
        "season_start": "2025-09-01",
        "season_end": "2025-08-01",
    }
    response = client.post(reverse("benefits:order_add"), data)
    assert response.status_code == 400
    assert "season_end" in response.context["form"].errors


def test_the_order_page_shows_its_fulfilment(world):
    side, users = world
    client = language_client("en")
    client.force_login(users["enterprise"])
    page = client.get(side.order.get_absolute_url()).content.decode()
    assert "2.5%" in page and "20,000.00" in page
