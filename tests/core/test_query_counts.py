"""Every page's number of SQL queries stays the same as the data grows (no N+1), and
does not rise above the committed baseline (`query_counts.json`, per database engine).

After a change that rightly adds queries, rewrite the baseline:
    CUNQI_QUERY_BASELINE=write .venv/bin/pytest tests/core/test_query_counts.py
(and once more with DATABASE_URL set to PostgreSQL)."""

import fcntl
import json
import os
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.core.test_scoping_matrix import MATRIX
from tests.scoping_world import build_side, build_users

MODEL_KEYS = [key for key in MATRIX if key != "enterprise_resource"]
BASELINE = Path(__file__).with_name("query_counts.json")


def against_baseline(name: str, counts: list[int]) -> None:
    """Fail if a page needs more queries than the baseline says (or, with
    CUNQI_QUERY_BASELINE=write, record them; parallel test workers take turns)."""
    with open(BASELINE, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        baseline = json.loads(handle.read() or "{}")
        recorded = baseline.setdefault(connection.vendor, {})
        if os.environ.get("CUNQI_QUERY_BASELINE") == "write":
            recorded[name] = counts
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(baseline, indent=1, sort_keys=True) + "\n")
            return
    assert name in recorded, f"{name}: no baseline; record it (see the module's docstring)"
    assert all(now <= then for now, then in zip(counts, recorded[name], strict=True)), (
        f"{name}: {counts} queries, the baseline allows {recorded[name]}; find the new "
        "queries, or record the baseline again if they are meant (see the module's docstring)"
    )


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
    against_baseline(model_key, list(before))
    grow(a)
    after = (count_queries(client, list_url), count_queries(client, row.get_absolute_url()))
    assert after == before


@pytest.mark.django_db
def test_cockpit_queries_do_not_grow_with_rows():
    a = build_side("A")
    client = Client()
    client.force_login(build_users(a)["taskforce"])
    before = count_queries(client, reverse("dashboard:cockpit"))
    against_baseline("cockpit", [before])
    grow(a)
    assert count_queries(client, reverse("dashboard:cockpit")) == before
