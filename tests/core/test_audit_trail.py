"""The audit trail as a product (protection level 3, 8.1.4.3): every security event is a
row with who, when, from where, what and the outcome; the audit administrator finds a
given user's actions, changes included with their values before and after, on one page
and in its export; nobody changes the trail (the database refuses on PostgreSQL); events
older than the retention period move to a signed archive, and none younger ever does."""

import ast
import io
from datetime import timedelta
from pathlib import Path

import pytest
from auditlog.context import set_actor
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cunqi.core import audit
from cunqi.core.models import SecurityEvent
from cunqi.core.roles import Role
from cunqi.core.security import EVENTS, log_event
from cunqi.registry.models import Zone
from tests import factories
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db
TRAIL = reverse("admin:core_securityevent_changelist")
SOURCE = Path(__file__).parents[2] / "src" / "cunqi"


def auditor() -> Client:
    client = Client()
    client.force_login(factories.UserFactory(role=Role.AUDITOR, is_staff=True))
    return client


def test_every_event_the_platform_raises_has_a_category_and_an_outcome():
    raised = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "log_event"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                raised.add(node.args[0].value)
    assert raised and raised <= set(EVENTS)


def test_a_failed_sign_in_a_refusal_and_a_read_are_rows_with_who_where_and_outcome():
    side = build_side("A")
    users = build_users(side)
    officer = users[Role.TOWN]
    Client().post("/accounts/login/", {"username": officer.username, "password": "Wrong#guess-1"})
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.force_login(users[Role.VILLAGE])
    assert client.get(reverse("registry:zone_add")).status_code == 403
    reader = Client()
    reader.force_login(officer)
    reader.get(side.distribution.get_absolute_url())

    failure = SecurityEvent.objects.get(kind="login.failure")
    assert (failure.username, failure.outcome, failure.category) == (
        officer.username,
        "failure",
        "sign_in",
    )
    refusal = SecurityEvent.objects.get(kind="permission.denied")
    assert refusal.user_id == users[Role.VILLAGE].pk and refusal.address == "10.1.2.3"
    assert refusal.outcome == "refused" and refusal.path == reverse("registry:zone_add")
    assert len(refusal.request_id) == 32
    read = SecurityEvent.objects.get(kind="read.payments")
    assert read.username == officer.username and "benefits.Distribution" in read.details


def test_the_auditor_finds_one_users_actions_changes_included_and_no_one_elses():
    clerk = factories.UserFactory(role=Role.TASKFORCE, username="clerk")
    other = factories.UserFactory(role=Role.TASKFORCE, username="other")
    with set_actor(clerk, remote_addr="10.9.9.9"):
        zone = Zone.objects.create(name="北区")
        zone.name = "北部片区"
        zone.save()
    log_event("login.success", user=clerk)
    log_event("login.success", user=other)

    page = auditor().get(TRAIL, {"user": "clerk"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "3 lines" in text or "3 条" in text
    assert "北区 → 北部片区" in text and "10.9.9.9" in text and "login.success" in text
    assert "other" not in text.split("<tbody>")[1]

    only_changes = audit.trail(audit.Search(user="clerk", category="change"))
    assert [source for _at, source, _pk in only_changes] == ["change", "change"]
    assert audit.trail(audit.Search(user="clerk", outcome="failure")).count() == 0
    assert audit.trail(audit.Search(text="北部")).count() == 1


def test_the_export_holds_the_lines_found_and_is_itself_on_the_trail():
    clerk = factories.UserFactory(role=Role.TASKFORCE, username="clerk")
    log_event("login.failure", username="clerk")
    log_event("login.success", user=clerk)
    response = auditor().get(TRAIL, {"user": "clerk", "outcome": "failure", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][1] == "clerk" and rows[0][4] == "login.failure"
    exported = SecurityEvent.objects.get(kind="audit.export")
    assert "outcome=failure" in exported.details


@pytest.mark.parametrize(
    "query",
    [{"since": "2026-12-31", "until": "2026-01-01"}, {"since": "yesterday"}, {"outcome": "x"}],
)
def test_a_wrong_search_says_which_field_and_shows_no_line(query):
    response = auditor().get(TRAIL, query)
    assert response.status_code == 200
    assert response.context["page"] is None and response.context["form"].errors


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN])
def test_the_other_administrators_and_business_roles_do_not_read_the_trail(role):
    client = Client()
    client.force_login(factories.UserFactory(role=role, is_staff=True))
    assert client.get(TRAIL).status_code == 403
    business = Client()
    business.force_login(factories.UserFactory(role=Role.TASKFORCE))
    assert business.get(TRAIL).status_code != 200


def test_nobody_changes_or_deletes_an_event_in_the_admin_site():
    log_event("login.success", user=factories.UserFactory())
    event = SecurityEvent.objects.get()
    client = auditor()
    assert (
        client.get(reverse("admin:core_securityevent_change", args=[event.pk])).status_code == 200
    )
    client.post(reverse("admin:core_securityevent_delete", args=[event.pk]), {"post": "yes"})
    client.post(reverse("admin:core_securityevent_change", args=[event.pk]), {"kind": "logout"})
    assert SecurityEvent.objects.get(pk=event.pk).kind == "login.success"
    assert SecurityEvent.objects.filter(kind="permission.denied").count() == 2


def test_an_administrators_change_of_an_account_is_on_the_trail():
    client = Client()
    admin = factories.UserFactory(role=Role.SYSADMIN, is_staff=True)
    client.force_login(admin)
    town = factories.TownFactory()
    officer = factories.UserFactory(role=Role.TOWN, town=town)
    response = client.post(
        reverse("admin:accounts_user_change", args=[officer.pk]),
        {
            "username": officer.username,
            "first_name": "新",
            "role": Role.TOWN,
            "town": town.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind="admin.change")
    assert event.username == admin.username and "accounts.user" in event.details


def _aged(days: int, kind: str = "login.success") -> SecurityEvent:
    event = SecurityEvent.objects.create(
        at=timezone.now() - timedelta(days=days), kind=kind, category="sign_in", outcome="success"
    )
    return event


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_an_event():
    young, old = _aged(10), _aged(400)
    for attempt in (
        lambda: SecurityEvent.objects.filter(pk=young.pk).update(kind="logout"),
        lambda: SecurityEvent.objects.filter(pk=young.pk).delete(),
        lambda: SecurityEvent.objects.filter(pk=old.pk).delete(),  # not by the archive
    ):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            attempt()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL cunqi.archiving = 'on'")
        with pytest.raises(IntegrityError), transaction.atomic():
            SecurityEvent.objects.filter(pk=young.pk).delete()  # still within 180 days
        SecurityEvent.objects.filter(pk=old.pk).delete()
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [young.pk]


@override_settings(CUNQI_AUDIT_RETENTION_DAYS=365, CUNQI_AUDIT_ARCHIVE_KEY="archive-key")
def test_the_archive_moves_only_events_older_than_retention_to_a_signed_file(tmp_path):
    kept = [_aged(10), _aged(200), _aged(364)]
    moved = [_aged(366, "login.failure"), _aged(900)]
    out = io.StringIO()
    call_command("audit_archive", str(tmp_path), stdout=out)
    assert "Moved 2 events" in out.getvalue()
    assert set(
        SecurityEvent.objects.exclude(kind="audit.archive").values_list("pk", flat=True)
    ) == {event.pk for event in kept}
    (archive,) = tmp_path.glob("*.jsonl.gz")
    assert [row["id"] for row in audit.read_archive(archive)] == [event.pk for event in moved]
    assert audit.verify(archive) == (True, 2)
    call_command("audit_archive", "--verify", str(archive), stdout=io.StringIO())
    assert SecurityEvent.objects.filter(kind="audit.archive").count() == 1

    content = bytearray(archive.read_bytes())
    content[len(content) // 2] ^= 0xFF
    archive.write_bytes(bytes(content))
    assert audit.verify(archive) == (False, 2)
    with pytest.raises(CommandError, match="does not match"):
        call_command("audit_archive", "--verify", str(archive))
    with override_settings(CUNQI_AUDIT_ARCHIVE_KEY="another-key"):
        archive.write_bytes(b"")
        assert not audit.verify(archive)[0]


@override_settings(CUNQI_AUDIT_RETENTION_DAYS=30)
def test_a_retention_below_the_law_still_keeps_180_days(tmp_path):
    _aged(100)
    call_command("audit_archive", str(tmp_path), stdout=io.StringIO())
    assert SecurityEvent.objects.filter(kind="login.success").count() == 1
    assert not list(tmp_path.glob("*.gz"))
