"""The client's address: never what the client claims, always what a trusted proxy saw."""

import pytest
from auditlog.models import LogEntry
from django.test import RequestFactory, override_settings

from cunqi.core.network import client_address
from tests import factories


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "", "10.0.0.2"),
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy: the header is the client's own claim
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.9, 198.51.100.7", "198.51.100.7"),  # a forged entry before nginx's
        (2, "203.0.113.9, 198.51.100.7, 10.0.0.3", "198.51.100.7"),
        (2, "198.51.100.7", "10.0.0.2"),  # fewer entries than proxies: a misrouted request
    ],
)
def test_client_address(proxies, forwarded, address):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")
    with override_settings(TRUSTED_PROXIES=proxies):
        assert client_address(request) == address


@pytest.mark.django_db
def test_the_change_history_records_the_address_not_the_forged_header():
    from django.test import Client
    from django.urls import reverse

    user = factories.UserFactory(role="taskforce")
    client = Client(REMOTE_ADDR="10.0.0.2")
    client.force_login(user)
    client.post(
        reverse("registry:zone_add"),
        {"name": "新片区", "sort_order": 1},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert LogEntry.objects.get(object_repr="新片区").remote_addr == "10.0.0.2"
