"""Every page's number of SQL queries stays the same as the data grows (no N+1)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.core.test_scoping_matrix import MATRIX
from tests.scoping_world import build_side, build_users

MODEL_KEYS = [key for key in MATRIX if key != "enterprise_resource"]


def count_queries(client: Client, url: str) -> int:
    client.get(url)  # warm the caches (content types, sessions) that a live server keeps warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(a) -> None:
    """Four more sides, whose villages also join side A's town (longer tables under A)."""
    for label in "BCDE":
        side = build_side(label)
        side.village.town = a.town
        side.village.save()


@pytest.mark.django_db
@pytest.mark.parametrize("model_key", MODEL_KEYS)
def test_list_and_detail_queries_do_not_grow_with_rows(model_key):
    a = build_side("A")
    client = Client()
    client.force_login(build_users(a)["taskforce"])
    row = MATRIX[model_key][0](a)
    list_url = reverse(type(row).url_name("list"))
    before = (count_queries(client, list_url), count_queries(client, row.get_absolute_url()))
    grow(a)
    after = (count_queries(client, list_url), count_queries(client, row.get_absolute_url()))
    assert after == before


@pytest.mark.django_db
def test_cockpit_queries_do_not_grow_with_rows():
    a = build_side("A")
    client = Client()
    client.force_login(build_users(a)["taskforce"])
    before = count_queries(client, reverse("dashboard:cockpit"))
    grow(a)
    assert count_queries(client, reverse("dashboard:cockpit")) == before
