"""Protection level 3's three administrators (三权分立): in the administration each does
its own part only, none opens a page of the programme's data, and no business role
administers; making an administrator is the installation's."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cunqi.accounts.models import User, UserSession
from cunqi.core.roles import ADMINISTRATORS, Role
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = {
    "users": reverse("admin:accounts_user_changelist"),
    "add user": reverse("admin:accounts_user_add"),
    "sessions": reverse("admin:accounts_usersession_changelist"),
    "lock-outs": reverse("admin:axes_accessattempt_changelist"),
    "sign-in records": reverse("admin:axes_accesslog_changelist"),
    "change history": reverse("admin:auditlog_logentry_changelist"),
    "audit trail": reverse("admin:core_securityevent_changelist"),
}
OPENS = {
    Role.SYSADMIN: {"users", "add user"},
    Role.SECADMIN: {"users", "sessions", "lock-outs"},
    Role.AUDITOR: {"sign-in records", "change history", "audit trail"},
}
BUSINESS = ("registry:household_list", "projects:project_list", "funds:disbursement_list")


def administrator(role: str) -> Client:
    client = Client()
    client.force_login(factories.UserFactory(role=role, is_staff=True))
    return client


@pytest.mark.parametrize("role", sorted(ADMINISTRATORS))
def test_each_administrator_opens_its_own_part_and_no_page_of_the_programme(role):
    client = administrator(role)
    opened = {name for name, url in PAGES.items() if client.get(url).status_code == 200}
    assert opened == OPENS[role]
    for name in BUSINESS:
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get("/")["Location"] == reverse("admin:index")


def test_a_business_role_does_not_administer_even_marked_staff():
    client = Client()
    client.force_login(factories.UserFactory(role=Role.TASKFORCE, is_staff=True))
    assert all(client.get(url).status_code != 200 for url in PAGES.values())
    with pytest.raises(ValidationError, match="三类管理员"):
        factories.UserFactory(
            role=Role.TOWN, is_staff=True, town=factories.TownFactory()
        ).full_clean()


def test_the_system_administrator_keeps_business_accounts_but_makes_no_administrator():
    client = administrator(Role.SYSADMIN)
    officer = factories.UserFactory(role=Role.TOWN, town=factories.TownFactory())
    page = client.get(reverse("admin:accounts_user_change", args=[officer.pk])).content.decode()
    assert 'value="town"' in page and 'value="secadmin"' not in page
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    other_town = factories.TownFactory()
    moved = client.post(
        reverse("admin:accounts_user_change", args=[officer.pk]),
        {"username": officer.username, "role": Role.TOWN, "town": other_town.pk, "is_active": "on"},
    )
    assert moved.status_code == 302, moved.content.decode()[-3000:]
    officer.refresh_from_db()
    assert officer.town == other_town and not officer.is_staff
    made_admin = client.post(
        reverse("admin:accounts_user_change", args=[officer.pk]),
        {"username": officer.username, "role": Role.AUDITOR, "is_active": "on"},
    )
    assert made_admin.status_code == 200  # refused: not a choice here
    assert User.objects.get(pk=officer.pk).role == Role.TOWN
    peer = factories.UserFactory(role=Role.SECADMIN, is_staff=True)
    read_only = client.get(reverse("admin:accounts_user_change", args=[peer.pk]))
    assert read_only.status_code == 200 and 'name="role"' not in read_only.content.decode()
    changed = client.post(
        reverse("admin:accounts_user_change", args=[peer.pk]),
        {"username": peer.username, "role": Role.TOWN, "is_active": "on"},
    )
    assert changed.status_code == 403
    assert User.objects.get(pk=peer.pk).role == Role.SECADMIN


def test_the_security_administrator_lifts_lock_outs_and_ends_sessions_and_changes_no_account():
    client = administrator(Role.SECADMIN)
    officer = factories.UserFactory(role=Role.TOWN, town=factories.TownFactory())
    browser = Client()
    browser.force_login(officer)
    session = UserSession.objects.get(user=officer)
    response = client.post(
        reverse("admin:accounts_usersession_delete", args=[session.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert browser.get(reverse("notifications")).status_code == 302  # signed out
    attempt = AccessAttempt.objects.create(
        username=officer.username, ip_address="10.0.0.1", failures_since_start=5
    )
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    refused = client.post(
        reverse("admin:accounts_user_change", args=[officer.pk]),
        {"username": "renamed", "role": Role.TOWN, "is_active": "on"},
    )
    assert refused.status_code == 403
    codes = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "issue_enrolment_codes", "_selected_action": [officer.pk]},
        follow=True,
    )
    assert "(shown once)" in codes.content.decode() or "仅显示一次" in codes.content.decode()
    assert officer.enrolment_codes.count() == 1
