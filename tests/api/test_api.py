"""The REST API: tokens, the pages' scoping, filters, forms and services, one error shape."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from cunqi.api import tokens
from cunqi.funds.models import Allocation
from cunqi.registry.models import Household
from tests import factories
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world():
    a, b = build_side("A"), build_side("B")
    return a, b, build_users(a)


def client_for(user) -> Client:
    _token, key = tokens.create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def test_without_a_valid_token_the_answer_is_401():
    assert Client().get("/api/v1/registry/village/").status_code == 401
    bad = Client(HTTP_AUTHORIZATION="Bearer nonsense").get("/api/v1/registry/village/")
    assert bad.status_code == 401 and bad.json()["detail"]
    user = factories.UserFactory(role="taskforce")
    token, key = tokens.create(user, "old")
    tokens.revoke(token)
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/registry/village/").status_code
        == 401
    )


def test_lists_hold_only_the_rows_in_scope_and_single_rows_outside_are_404(world):
    a, b, users = world
    town = client_for(users["town"])
    listed = town.get("/api/v1/registry/household/").json()
    assert [row["id"] for row in listed["items"]] == [a.household.pk]
    assert listed["count"] == 1
    assert town.get(f"/api/v1/registry/household/{b.household.pk}/").status_code == 404
    everyone = client_for(users["taskforce"]).get("/api/v1/registry/household/?limit=1").json()
    assert everyone["count"] == 2 and len(everyone["items"]) == 1


def test_the_pages_filters_apply(world):
    a, _b, users = world
    found = client_for(users["taskforce"]).get(f"/api/v1/registry/household/?town={a.town.pk}")
    assert [row["id"] for row in found.json()["items"]] == [a.household.pk]


def test_create_and_update_go_through_the_pages_forms_and_services(world):
    a, _b, users = world
    api = client_for(users["department"])  # the water bureau, whose source side A's is
    body = {
        "budget": a.fund_budget.pk,
        "project": a.project.pk,
        "amount": "600.00",
        "allocated_on": "2026-05-01",
    }
    refused = api.post(
        "/api/v1/funds/allocation/", json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 400
    assert "Only 500.00 yuan of this budget is left" in refused.json()["errors"]["amount"][0]
    created = api.post(
        "/api/v1/funds/allocation/",
        json.dumps({**body, "amount": "200.00"}),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["amount"] == "200.00"
    allocation = Allocation.objects.get(pk=created.json()["id"])
    changed = api.patch(
        f"/api/v1/funds/allocation/{allocation.pk}/",
        json.dumps({"purpose": "冷库"}),
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["purpose"] == "冷库"
    a.fund_budget.refresh_from_db()
    assert a.fund_budget.allocated == Decimal("700.00")


def test_roles_and_scopes_refuse_writes_with_one_error_shape(world):
    a, b, users = world
    village = client_for(users["village"])
    body = {"village": b.village.pk, "number": "9", "head_name": "x", "members": 2}
    outside = village.post(
        "/api/v1/registry/household/", json.dumps(body), content_type="application/json"
    )
    assert outside.status_code == 400 and set(outside.json()) == {"detail", "errors"}
    assert not Household.objects.filter(number="9").exists()
    enterprise = client_for(users["enterprise"])
    forbidden = enterprise.patch(
        f"/api/v1/registry/household/{a.household.pk}/",
        json.dumps({"members": 3}),
        content_type="application/json",
    )
    assert forbidden.status_code in (403, 404) and set(forbidden.json()) == {"detail", "errors"}
    malformed = village.post(
        "/api/v1/registry/household/",
        json.dumps({"members": "many"}),
        content_type="application/json",
    )
    assert malformed.status_code == 400 and "members" in json.dumps(malformed.json()["errors"])


def test_the_schema_documents_every_model_with_pages():
    user = factories.UserFactory(role="taskforce")
    client = Client()
    assert client.get("/api/v1/openapi.json").status_code == 302  # signed-in users only
    client.force_login(user)
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/registry/household/", "/api/v1/funds/allocation/{pk}/"):
        assert path in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_a_user_makes_sees_once_and_revokes_a_token():
    from django.urls import reverse

    from cunqi.accounts.models import ApiToken

    user = factories.UserFactory(role="town", town=factories.TownFactory())
    client = Client()
    client.force_login(user)
    page = client.post(reverse("api_tokens"), {"name": "统计系统"}).content.decode()
    token = ApiToken.objects.get(user=user)
    key = page.split('user-select-all">')[1].split("<")[0]
    assert token.prefix == key[:8] and key not in client.get(reverse("api_tokens")).content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.get("/api/v1/registry/village/").status_code == 200
    client.post(reverse("api_token_revoke", args=[token.pk]))
    assert api.get("/api/v1/registry/village/").status_code == 401
    other = factories.UserFactory(role="taskforce")
    client.force_login(other)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404


@pytest.mark.parametrize(
    "role",
    ["taskforce", "leader", "department", "town", "village", "enterprise", "advisor", "expert"],
)
def test_the_api_scopes_every_model_as_the_pages_do(world, role):
    """The scoping matrix's read expectations, through the API: a list holds side A's row
    exactly when the role sees it (side B's when it sees everything), and a row it may
    not see answers 404."""
    from tests.core.test_scoping_matrix import MATRIX, expected_read

    a, b, users = world
    api = client_for(users[role])
    problems = []
    for model_key, (pick, sees_a, *_writes) in MATRIX.items():
        rows = (("A", pick(a)), ("B", pick(b)))  # some are made when first picked
        model = type(rows[0][1])
        base = f"/api/v1/{model._meta.app_label}/{model._meta.model_name}/"
        listed = api.get(f"{base}?limit=500")
        if listed.status_code != 200:
            problems.append(f"{model_key}: list {listed.status_code}")
            continue
        ids = {row["id"] for row in listed.json()["items"]}
        for side, row in rows:
            readable = expected_read(role, sees_a, side)
            if (row.pk in ids) != readable:
                problems.append(f"{model_key}: list shows {side}: {not readable}")
            status = api.get(f"{base}{row.pk}/").status_code
            if status != (200 if readable else 404):
                problems.append(f"{model_key}: detail {side} {status}")
    assert not problems, problems


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_files_go_up_as_multipart_through_the_upload_checks_and_come_back_in_scope(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a, b, users = world
    village = client_for(users["village"])
    created = village.post(
        "/api/v1/supervision/reportattachment/",
        {
            "report": a.monthly_report.pk,
            "caption": "大棚",
            "file": SimpleUploadedFile("site.png", PNG, "image/png"),
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    download = village.get(f"/api/v1/supervision/reportattachment/{pk}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert 'attachment; filename="site.png"' in download["Content-Disposition"]
    assert (
        client_for(factories.UserFactory(role="town", town=b.town))
        .get(f"/api/v1/supervision/reportattachment/{pk}/file/")
        .status_code
        == 404
    )

    refused = village.post(
        "/api/v1/supervision/reportattachment/",
        {
            "report": a.monthly_report.pk,
            "file": SimpleUploadedFile("site.png", b"MZ\x90\x00 not a picture", "image/png"),
        },
    )
    assert refused.status_code == 400 and "file" in refused.json()["errors"]

    document = a.approval_document
    supplied = village.patch(
        f"/api/v1/projects/approvaldocument/{document.pk}/",
        data=_multipart({"file": ("plan.pdf", b"%PDF-1.4\n%%EOF\n")}),
        content_type=MULTIPART,
    )
    assert supplied.status_code == 200, supplied.content
    document.refresh_from_db()
    assert document.status == "supplied" and document.file_name == "plan.pdf"


MULTIPART = "multipart/form-data; boundary=BoUnDaRy"


def _multipart(files: dict) -> bytes:
    """A multipart body for PATCH (the test client encodes multipart only for POST)."""
    parts = []
    for name, (file_name, content) in files.items():
        parts.append(
            b"--BoUnDaRy\r\n"
            + f'Content-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'.encode()
            + b"Content-Type: application/octet-stream\r\n\r\n"
            + content
            + b"\r\n"
        )
    return b"".join(parts) + b"--BoUnDaRy--\r\n"


def test_a_create_sent_again_with_its_idempotency_key_adds_nothing(world):
    """A payment sent twice (a timeout, a retry) is recorded once; the same key with
    another amount is refused and adds nothing either."""
    from cunqi.funds.models import Disbursement

    a, _b, users = world
    api = client_for(users["department"])
    body = {"allocation": a.allocation.pk, "amount": "120.00", "paid_on": "2026-06-01"}
    before = Disbursement.objects.count()

    def send(data, key="pay-2026-06-01-0001"):
        return api.post(
            "/api/v1/funds/disbursement/",
            json.dumps(data),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=key,
        )

    first, again = send(body), send({**body, "amount": "120.0"})
    assert first.status_code == again.status_code == 201, first.content
    assert first.json() == again.json()
    assert Disbursement.objects.count() == before + 1
    refused = send({**body, "amount": "999.00"})
    assert refused.status_code == 422 and "different request" in refused.json()["detail"]
    assert Disbursement.objects.count() == before + 1
    a.allocation.refresh_from_db()
    assert a.allocation.disbursed == Decimal("220.00")  # the world's 100 and this 120
    # Keys are per user: another user's same key is a new request.
    other = client_for(users["taskforce"]).post(
        "/api/v1/funds/disbursement/",
        json.dumps({**body, "amount": "1.00"}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="pay-2026-06-01-0001",
    )
    assert other.status_code == 201


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent connections need PostgreSQL"
)
def test_parallel_retries_with_one_key_record_one_payment():
    import threading

    from cunqi.funds.models import Disbursement

    a = build_side("A")
    users = build_users(a)
    _token, key = tokens.create(users["department"], "retries")
    body = json.dumps({"allocation": a.allocation.pk, "amount": "50.00", "paid_on": "2026-06-02"})
    barrier, answers = threading.Barrier(4), []

    def send():
        try:
            barrier.wait()
            response = Client(HTTP_AUTHORIZATION=f"Bearer {key}").post(
                "/api/v1/funds/disbursement/",
                body,
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY="retry-0001",
            )
            answers.append((response.status_code, response.json().get("id")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 4 and {status for status, _id in answers} == {201}
    assert len({pk for _status, pk in answers}) == 1
    assert Disbursement.objects.filter(paid_on="2026-06-02").count() == 1
