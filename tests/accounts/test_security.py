"""Sign-in and sessions: throttled logins that a forged header cannot reset, fresh session
keys, sessions that end, refused common passwords, a strict Content-Security-Policy, and
no traceback shown in production."""

import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import path, reverse

from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "kW9#villages-and-enterprises"
LOGIN = "/accounts/login/"


@pytest.fixture
def user():
    officer = factories.UserFactory(role="town", username="officer")
    officer.set_password(PASSWORD)
    officer.save()
    return officer


def sign_in(client: Client, password: str, **headers):
    return client.post(LOGIN, {"username": "officer", "password": password}, **headers)


def test_after_the_limit_even_the_right_password_gets_429_and_failures_are_logged(user):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200  # the form, with its error
    assert sign_in(client, "wrong").status_code == 429
    locked = sign_in(client, PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode() or "登录失败次数过多" in (
        locked.content.decode()
    )
    assert AccessFailureLog.objects.filter(username="officer").count() >= (
        settings.AXES_FAILURE_LIMIT
    )
    assert not client.session.get("_auth_user_id")


def test_a_guessed_account_is_locked_everywhere_but_its_office_still_signs_in(user):
    """Five wrong passwords for one account from a town office's shared address lock
    that account from any address; a colleague behind the same address signs in."""
    office = Client(REMOTE_ADDR="10.8.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(office, "wrong")
    assert sign_in(Client(REMOTE_ADDR="192.0.2.9"), PASSWORD).status_code == 429
    colleague = factories.UserFactory(role="town", username="colleague")
    colleague.set_password(PASSWORD)
    colleague.save()
    answer = office.post(LOGIN, {"username": "colleague", "password": PASSWORD})
    assert answer.status_code == 302


def test_many_accounts_guessed_from_one_address_lock_that_address(user):
    guesser = Client(REMOTE_ADDR="10.8.0.2")
    for number in range(settings.CUNQI_LOGIN_FAILURES_PER_ADDRESS):
        guesser.post(LOGIN, {"username": f"guess{number}", "password": "wrong"})
    assert sign_in(guesser, PASSWORD).status_code == 429
    assert sign_in(Client(REMOTE_ADDR="10.8.0.3"), PASSWORD).status_code == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_count(user):
    client = Client()
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    assert {a.ip_address for a in AccessAttempt.objects.all()} == {"127.0.0.1"}


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_the_address_it_saw_counts_not_the_forged_one(user):
    """nginx appends the address it saw; whatever the client put before it is ignored."""
    client = Client(REMOTE_ADDR="10.0.0.2")  # the proxy
    for number in range(settings.AXES_FAILURE_LIMIT):
        forged = f"203.0.113.{number}, 198.51.100.7"
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=forged)
    again = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
    assert again.status_code == 429
    assert {a.ip_address for a in AccessAttempt.objects.all()} == {"198.51.100.7"}


def test_a_success_resets_the_count(user):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="officer", failures_since_start__gt=0)


def test_signing_in_gives_a_new_session_key_and_signing_out_ends_it(user):
    client = Client()
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    assert sign_in(client, PASSWORD).status_code == 302
    assert client.session.session_key != before
    assert client.get(reverse("dashboard:cockpit")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("dashboard:cockpit")).status_code == 302


def test_a_deactivated_user_is_signed_out_at_the_next_request(user):
    client = Client()
    sign_in(client, PASSWORD)
    assert client.get(reverse("notifications")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize("password", ["password123", "12345678", "officer1", "qwertyuiop"])
def test_common_and_weak_passwords_are_refused(user, password):
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_pages_carry_a_policy_that_allows_only_the_platforms_own_assets(user):
    client = Client()
    client.force_login(user)
    policy = client.get(reverse("dashboard:cockpit"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_no_template_has_inline_scripts_styles_or_handlers():
    """What the policy would block: inline <script>, style attributes, on… handlers.
    (The bulletin's PDF layout is rendered by WeasyPrint, never served as a page.)"""
    offending = []
    for template in Path(settings.BASE_DIR, "src/cunqi/templates").rglob("*.html"):
        if template.name == "bulletin_pdf.html":
            continue
        text = template.read_text()
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\sstyle=\"", text)
            or re.search(r"\son[a-z]+=", text)
            or "<style" in text
        ):
            offending.append(template.name)
    assert not offending


def _fail(request):
    raise RuntimeError("secret detail of the failure")


urlpatterns = [path("fail/", _fail)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_shows_no_traceback(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get("/fail/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Traceback" not in body and "secret detail" not in body
