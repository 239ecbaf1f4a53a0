"""Every route is guarded: the meta-test walks every URL pattern (pages and API) and
fails on any that neither stands on the public allow-list nor is covered by a role
matrix, so a new unprotected route fails CI.

Page routes of a model (list, detail, add, edit, delete, export) are covered by the
role × model matrix in ``test_scoping_matrix``, and the API's routes by the API's walk of
the same matrix (``tests/api``); every other route is listed in ``GUARDED`` below with the
roles that may use it, written out by hand, and tested here role by role, on side A's
rows (which the scoped users belong to) and on side B's (which they must not find).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cunqi.api import tokens
from cunqi.core.models import ExportJob, Notification
from cunqi.core.roles import Role
from cunqi.core.views import REGISTRY
from cunqi.exchange.models import ImportJob
from cunqi.pairing import recommend
from cunqi.pairing.models import MatchingRun, Recommendation
from tests.core.test_scoping_matrix import (
    ENT,
    EVERYONE,
    MATRIX,
    ROLES,
    TOWN,
    VILLAGE,
    L,
    T,
    expected_read,
)
from tests.scoping_world import build_side, build_users, policy

# What anyone may reach without signing in.
PUBLIC = {
    "accounts:login",
    "accounts:logout",
    "set_language",
    "dashboard:public",
    "service_worker",
    "dashboard:boundaries",  # the deployment's map boundaries, drawn on the public page too
}
PAGE_ACTIONS = ("list", "detail", "add", "edit", "delete", "export")


def routes(patterns=None, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    """(the route with its converters, the route's name) for every URL pattern."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            found.append((route, f"{namespace}{pattern.name or ''}"))
    return found


def concrete(route: str) -> str:
    """A URL the route matches (anonymous users are turned away before any lookup)."""
    url = re.sub(r"<year:[a-z_]+>", "2026", route)
    url = re.sub(r"<(?:int:|id:)?[a-z_]+>", "1", url)
    url = re.sub(r"<(?:str|path|slug):[a-z_]+>", "x", url)
    url = re.sub(r"\(\?P<[a-z_]+>[^)]*\)\$?|\^|\$", "x", url)
    return "/" + url


def is_api(route: str) -> bool:
    return route.startswith("api/v1/")


def api_model(route: str):
    """The model an API route serves (``api/v1/registry/village/…``), if any; the API's
    documentation and schema are for signed-in users (tested below), its root is empty."""
    parts = route.split("/")
    if route in ("api/v1/", "api/v1/docs", "api/v1/openapi.json"):
        return "documentation"
    return next((m for m in REGISTRY if m._meta.label_lower == ".".join(parts[2:4])), None)


def page_model(name: str):
    """The model whose standard page ``name`` is (``registry:village_list``), if any."""
    for model in REGISTRY:
        for action in PAGE_ACTIONS:
            if name == model.url_name(action):
                return model
    return None


@dataclass(frozen=True)
class Guard:
    """Who may use a route: ``may`` (the task force always may); with ``row``, the route
    is about a row of side A or B, which only those who see it (by the matrix entry
    ``sees``) may reach at all."""

    url: Callable  # (side, extras) → URL
    may: frozenset = EVERYONE
    method: str = "get"
    sees: str | None = None  # a MATRIX key, or None for routes about no row
    data: dict = field(default_factory=dict)
    # A write on the row: roles of ``may`` other than the task force reach it only in
    # their write scope (side A; a department approves only what its own source pays).
    writes: bool = False


def _row_url(name: str, key: str, *more) -> Callable:
    return lambda side, extras: reverse(name, args=[MATRIX[key][0](side).pk, *more])


GUARDED = {
    "core:autocomplete": Guard(
        lambda side, extras: reverse("core:autocomplete", args=["registry", "village"])
    ),
    "pairing:matchingrun_progress": Guard(
        lambda side, extras: reverse("pairing:matchingrun_progress", args=[extras["run"].pk]),
        may=frozenset({T, L, Role.DEPARTMENT}),
    ),
    "pairing:matchingrun_xlsx": Guard(
        lambda side, extras: reverse("pairing:matchingrun_xlsx", args=[extras["run"].pk]),
        may=frozenset({T, L, Role.DEPARTMENT}),
    ),
    "pairing:recommendation_action": Guard(
        lambda side, extras: reverse(
            "pairing:recommendation_action", args=[extras["recommendation"].pk, "accept"]
        ),
        may=frozenset({T}),
        method="post",
    ),
    "projects:approval_action": Guard(
        _row_url("projects:approval_action", "approval", "accept"),
        may=frozenset({T, TOWN}),
        method="post",
        sees="approval",
    ),
    "projects:projectapplication_action": Guard(
        _row_url("projects:projectapplication_action", "application", "submit"),
        may=frozenset({T, VILLAGE, ENT}),
        method="post",
        sees="application",
        writes=True,
    ),
    "projects:projectapplication_file": Guard(
        _row_url("projects:projectapplication_file", "application"), sees="application"
    ),
    "projects:approvaldocument_file": Guard(
        _row_url("projects:approvaldocument_file", "approval_document"), sees="approval_document"
    ),
    "supervision:reportattachment_file": Guard(
        _row_url("supervision:reportattachment_file", "report_attachment"),
        sees="report_attachment",
    ),
    "funds:policy_file": Guard(_row_url("funds:policy_file", "policy"), sees="policy"),
    "core:documenttemplate_file": Guard(
        _row_url("core:documenttemplate_file", "document_template"), sees="document_template"
    ),
    "core:documenttemplate_builtin": Guard(
        lambda side, extras: reverse("core:documenttemplate_builtin", args=["bulletin"])
    ),
    "supervision:bulletin_file": Guard(
        _row_url("supervision:bulletin_file", "bulletin", "docx"), sees="bulletin"
    ),
    "supervision:evaluationscheme_file": Guard(
        _row_url("supervision:evaluationscheme_file", "evaluation_scheme", "xlsx"),
        sees="evaluation_scheme",
    ),
    "benefits:distribution_action": Guard(
        _row_url("benefits:distribution_action", "distribution", "approve"),
        may=frozenset({T, L}),
        method="post",
        sees="distribution",
    ),
    "funds:disbursement_action": Guard(
        _row_url("funds:disbursement_action", "disbursement", "approve"),
        may=frozenset({T, Role.DEPARTMENT}),
        method="post",
        sees="disbursement",
        writes=True,
    ),
    "benefits:project_projection": Guard(
        _row_url("benefits:project_projection", "project"), sees="project"
    ),
    # Personal data in full: the roster's keepers, with a reason (tests/core/test_personal.py).
    "registry:household_reveal": Guard(
        _row_url("registry:household_reveal", "household", "id_number"),
        may=frozenset({T, TOWN, VILLAGE}),
        method="post",
        data={"reason": "checking the roster"},
        sees="household",
    ),
    "benefits:linkage": Guard(lambda side, extras: reverse("benefits:linkage")),
    "benefits:household_statement": Guard(
        _row_url("benefits:household_statement", "household", 2024), sees="household"
    ),
    "benefits:village_statement": Guard(
        _row_url("benefits:village_statement", "village", 2024), sees="village"
    ),
    "supervision:card_board": Guard(lambda side, extras: reverse("supervision:card_board")),
    "supervision:card_evaluate": Guard(
        lambda side, extras: reverse("supervision:card_evaluate"), may=frozenset({T}), method="post"
    ),
    "supervision:card_action": Guard(
        _row_url("supervision:card_action", "card", "clear"),
        may=frozenset({T}),
        method="post",
        sees="card",
    ),
    "supervision:monthlyreport_action": Guard(
        _row_url("supervision:monthlyreport_action", "monthly_report", "submit"),
        may=frozenset({T, VILLAGE, ENT}),
        method="post",
        sees="monthly_report",
    ),
    # Only the town or department an instruction names answers it (a department answers
    # none of the sides', which name their towns).
    "supervision:instruction_action": Guard(
        _row_url("supervision:instruction_action", "instruction", "answer"),
        may=frozenset({T, TOWN}),
        method="post",
        sees="instruction",
        data={"answer": "已落实"},
        writes=True,
    ),
    "supervision:demonstration": Guard(lambda side, extras: reverse("supervision:demonstration")),
    "supervision:nomination_action": Guard(
        _row_url("supervision:nomination_action", "nomination", "approve"),
        may=frozenset({T}),
        method="post",
        sees="nomination",
    ),
    "funds:project_policies": Guard(_row_url("funds:project_policies", "project"), sees="project"),
    "exchange:index": Guard(lambda side, extras: reverse("exchange:index")),
    "exchange:template": Guard(
        lambda side, extras: reverse("exchange:template", args=["villages"])
    ),
    "exchange:export": Guard(lambda side, extras: reverse("exchange:export", args=["villages"])),
    # An import job is its uploader's (here the town officer's); the task force sees all.
    "exchange:job": Guard(
        lambda side, extras: reverse("exchange:job", args=[extras["job"].pk]),
        may=frozenset({T, TOWN}),
    ),
    "exchange:commit": Guard(
        lambda side, extras: reverse("exchange:commit", args=[extras["job"].pk]),
        may=frozenset({TOWN}),
        method="post",
    ),
    # A list's export written by a task is only its own user's (the town officer's).
    "core:exportjob": Guard(
        lambda side, extras: reverse("core:exportjob", args=[extras["export"].pk]),
        may=frozenset({TOWN}),
    ),
    "core:exportjob_file": Guard(
        lambda side, extras: reverse("core:exportjob_file", args=[extras["export"].pk]),
        may=frozenset({TOWN}),
    ),
    "notifications": Guard(lambda side, extras: reverse("notifications")),
    # A notification, like a token, is only ever its own user's (here the town officer's).
    "notification_open": Guard(
        lambda side, extras: reverse("notification_open", args=[extras["notification"].pk]),
        may=frozenset({TOWN}),
    ),
    "dashboard:home": Guard(lambda side, extras: reverse("dashboard:home")),
    "dashboard:map": Guard(lambda side, extras: reverse("dashboard:map")),
    "dashboard:cockpit": Guard(lambda side, extras: reverse("dashboard:cockpit")),
    # One's own second factor (tests/accounts/test_second_factor.py).
    "accounts:second_factor": Guard(lambda side, extras: reverse("accounts:second_factor")),
    # One's own password and sessions (tests/accounts/test_passwords_and_sessions.py).
    "accounts:password_change": Guard(lambda side, extras: reverse("accounts:password_change")),
    "accounts:sessions": Guard(lambda side, extras: reverse("accounts:sessions")),
    "accounts:end_session": Guard(
        lambda side, extras: reverse("accounts:end_session"), method="post"
    ),
    "accounts:session_state": Guard(lambda side, extras: reverse("accounts:session_state")),
    "accounts:still_here": Guard(
        lambda side, extras: reverse("accounts:still_here"), method="post"
    ),
    "api_tokens": Guard(lambda side, extras: reverse("api_tokens")),
    "api_token_revoke": Guard(
        lambda side, extras: reverse("api_token_revoke", args=[extras["token"].pk]),
        may=frozenset({TOWN}),
        method="post",
    ),
}


def test_every_route_is_public_guarded_or_in_a_matrix(db):
    side = build_side("A")
    matrix_models = {type(pick(side)) for pick, *_rest in MATRIX.values()} | {"documentation"}
    unguarded = [
        (route, name)
        for route, name in routes()
        if name not in PUBLIC
        and name not in GUARDED
        and not name.startswith("admin:")
        and page_model(name) not in matrix_models
        and not (is_api(route) and api_model(route) in matrix_models)
    ]
    assert not unguarded, f"routes in no matrix and not public: {unguarded}"
    assert set(GUARDED) <= {name for _route, name in routes()}, "GUARDED names a lost route"
    assert set(REGISTRY) <= matrix_models, set(REGISTRY) - matrix_models


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_reach_only_the_public_pages(method):
    login = reverse("accounts:login")
    client = Client()
    for route, name in routes():
        if name in PUBLIC:
            continue
        url = concrete(route)
        response = getattr(client, method)(url)
        if is_api(route) and not url.startswith(("/api/v1/docs", "/api/v1/openapi.json")):
            # The API answers 401 (or 405 for a method it lacks; ninja's bare root, 404).
            allowed = {404} if name == "api:api-root" else {401, 405}
            assert response.status_code in allowed, (method, url, response.status_code)
            continue
        location = response.get("Location", "")
        if name == "dashboard:home":  # the site's address: the public page, not a sign-in
            assert (response.status_code, location) == (302, reverse("dashboard:public"))
            continue
        admin_login = name.startswith("admin:") and location.startswith("/admin/login/")
        assert response.status_code == 302 and (location.startswith(login) or admin_login), (
            method,
            url,
            response.status_code,
            location,
        )
    assert client.get("/admin/login/")["Location"].startswith(login)
    assert client.get(reverse("dashboard:public")).status_code == 200
    assert client.get(login).status_code == 200


@pytest.fixture
def world(db):
    a, b = build_side("A"), build_side("B")
    # Rows whose files the routes serve.
    for side in (a, b):
        side.approval_document.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"))
    policy(a).file.save("policy.pdf", ContentFile(b"%PDF-1.4\n"))
    MATRIX["bulletin"][0](a).docx.save("bulletin.docx", ContentFile(b"PK"))
    users = build_users(a)
    town = users[Role.TOWN]
    run = recommend.execute(MatchingRun.objects.create())
    extras = {
        "run": run,
        # The sides' villages are paired already: a recommendation as a run would make one.
        "recommendation": Recommendation.objects.create(
            run=run,
            village=a.village,
            enterprise=b.enterprise,
            score=0.5,
            distance_km=1.0,
            terms={"complementarity": 0.5, "industry": 0.5, "proximity": 0.5},
        ),
        "job": ImportJob.objects.create(
            user=town,
            kind="villages",
            file=ContentFile(b"PK", name="v.xlsx"),
            file_name="v.xlsx",
        ),
        "export": ExportJob.objects.create(
            user=town,
            model="registry.Village",
            status=ExportJob.Status.DONE,
            file=ContentFile(b"PK", name="villages.xlsx"),
            file_name="villages.xlsx",
        ),
        "notification": Notification.objects.create(
            user=town, kind=Notification.Kind.REPORT_DUE, key="x"
        ),
        "token": tokens.create(town, "route test")[0],
    }
    return a, b, users, extras


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", GUARDED)
def test_guarded_routes_by_role(world, name, role):
    a, b, users, extras = world
    guard = GUARDED[name]
    client = Client()
    client.force_login(users[role])
    sides = (("A", a), ("B", b)) if guard.sees else (("A", a),)
    for label, side in sides:
        response = getattr(client, guard.method)(guard.url(side, extras), guard.data)
        readable = guard.sees is None or expected_read(role, MATRIX[guard.sees][1], label)
        if not readable:
            expected = {404}
        elif role in guard.may and (role == T or not guard.writes or label == "A"):
            expected = {200, 302}
        else:
            expected = {403, 404}
        assert response.status_code in expected, (name, role, label, response.status_code)
