"""Fuzz the API against its own schema (schemathesis): whatever is sent, no server error,
and no row outside the caller's scope comes back.

Bounded for CI: eight examples per operation, as a town officer (a scoped user, so leaks
would show) over the scoping matrix's two-sided world.
"""

import pytest
import schemathesis
from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from cunqi.api import tokens
from cunqi.api.urls import api
from cunqi.wsgi import application
from tests.scoping_world import build_side, build_users

# Random requests only (the fuzzing phase): the coverage phase's exhaustive boundary cases
# for ~200 operations would take most of CI's time.
config = SchemathesisConfig.from_dict(
    {"phases": {"coverage": {"enabled": False}, "examples": {"enabled": False}}}
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=config)
schema.app = application
MODELS = {
    f"/api/v1/{model._meta.app_label}/{model._meta.model_name}/": model
    for model in apps.get_models()
}


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """As Django's test client does: a request's end must not close the connection that
    holds the test's transaction (on PostgreSQL it would, autocommit being off)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def caller(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        a, _b = build_side("A"), build_side("B")
        user = build_users(a)["town"]
        _token, key = tokens.create(user, "fuzz")
        yield user, key
        transaction.set_rollback(True)


def _model_of(path: str):
    for prefix, model in MODELS.items():
        if path.startswith(prefix):
            return model
    return None


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_error_and_no_row_outside_the_scope(case, caller):
    user, key = caller
    response = case.call(headers={"Authorization": f"Bearer {key}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    if case.method != "GET" or response.status_code != 200:
        return
    if case.formatted_path.endswith("/file/"):  # a visible row's file, as an attachment
        assert response.headers["Content-Disposition"].startswith("attachment")
        return
    model = _model_of(case.formatted_path)
    body = response.json()
    rows = body.get("items", [body]) if isinstance(body, dict) else []
    ids = {row["id"] for row in rows if isinstance(row, dict) and "id" in row}
    if model is not None and ids:
        visible = set(
            model.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
        )
        assert ids <= visible, (case.formatted_path, ids - visible)
