"""Protection level 3's passwords and sessions: every character class, no reuse of the
last ones, a change forced when a password expires and at the first sign-in of an account
an administrator made or reset; sessions that end when idle and at a limit, a page that
asks how long is left, and a user who sees and ends their other sessions."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from cunqi.accounts import services, sessions
from cunqi.accounts.forms import NewUserForm, ResetPasswordForm
from cunqi.accounts.models import User, UserSession
from tests import factories
from tests.i18n import language_client

pytestmark = pytest.mark.django_db
FIRST = "Hx7#pairing-villages"
LOGIN = "/accounts/login/"


@pytest.fixture
def user():
    officer = factories.UserFactory(role="town", username="officer")
    officer.set_password(FIRST)
    officer.save()
    return officer


def sign_in(client: Client, password: str = FIRST):
    return client.post(LOGIN, {"username": "officer", "password": password})


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("hx7#pairing-villages", "an upper-case letter"),
        ("HX7#PAIRING-VILLAGES", "a lower-case letter"),
        ("Hx#pairing-villages", "a digit"),
        ("Hx7pairingvillages", "a symbol"),
        ("Hx7#Ab", "needs at least 8 characters"),
    ],
)
def test_a_password_lacking_a_class_or_length_is_refused_saying_what_is_missing(
    user, password, missing
):
    for language, expected in (("en", missing), ("zh-hans", "密码")):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                validate_password(password, user)
            assert expected in " ".join(refused.value.messages)


@override_settings(CUNQI_PASSWORD_HISTORY=3)
def test_none_of_the_last_passwords_comes_back_and_older_ones_may(user):
    second, third, fourth = "Hx7#second-choice", "Hx7#third-choice", "Hx7#fourth-choice"
    for password in (second, third):
        services.set_password(user, password, reset=False)
    for reused in (FIRST, second, third):  # the current one counts
        with translation.override("en"), pytest.raises(ValidationError, match="last 3"):
            services.set_password(user, reused, reset=False)
    services.set_password(user, fourth, reset=False)
    services.set_password(user, FIRST, reset=False)  # four back: allowed again
    assert user.password_records.count() == 3  # no more are kept than are compared
    user.refresh_from_db()
    assert user.check_password(FIRST) and not user.must_change_password


def test_the_user_changes_their_password_on_its_page_and_stays_signed_in(user):
    client = language_client("en")
    sign_in(client)
    page = reverse("accounts:password_change")
    wrong = client.post(page, {"old_password": "nope", "new_password1": "x", "new_password2": "x"})
    assert wrong.status_code == 400 and "not your current password" in wrong.content.decode()
    weak = client.post(
        page, {"old_password": FIRST, "new_password1": "weakpass", "new_password2": "weakpass"}
    )
    assert weak.status_code == 400 and "upper-case letter" in weak.content.decode()
    same = client.post(
        page, {"old_password": FIRST, "new_password1": FIRST, "new_password2": FIRST}
    )
    assert same.status_code == 400 and "must differ" in same.content.decode()
    new = "Nw8!other-password"
    done = client.post(page, {"old_password": FIRST, "new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert client.get(reverse("notifications")).status_code == 200  # still signed in
    user.refresh_from_db()
    assert user.check_password(new) and user.password_changed_at is not None


def test_an_account_made_or_reset_by_an_administrator_must_choose_its_own_password(user):
    made = NewUserForm(
        {
            "username": "newcomer",
            "password1": "Ad9$given-by-admin",
            "password2": "Ad9$given-by-admin",
            "usable_password": "true",
        }
    )
    assert made.is_valid(), made.errors
    newcomer = made.save()
    assert newcomer.must_change_password
    reset = ResetPasswordForm(
        user, {"password1": "Ad9$reset-by-admin", "password2": "Ad9$reset-by-admin"}
    )
    assert reset.is_valid(), reset.errors
    reset.save()
    user.refresh_from_db()
    assert user.must_change_password and user.check_password("Ad9$reset-by-admin")

    client = language_client("en")
    sign_in(client, "Ad9$reset-by-admin")
    sent = client.get(reverse("notifications"))
    assert sent.status_code == 302 and sent["Location"].startswith(
        reverse("accounts:password_change")
    )
    page = client.get(sent["Location"]).content.decode()
    assert "Choose a password of your own" in page
    # Signing out and switching language stay open before the change.
    assert client.post(reverse("accounts:logout")).status_code == 302


@override_settings(CUNQI_PASSWORD_MAX_AGE_DAYS=90)
def test_an_expired_password_must_be_changed_before_anything_else(user):
    with history_recorded():
        User.objects.filter(pk=user.pk).update(
            password_changed_at=timezone.now() - timedelta(days=91)
        )
    client = language_client("en")
    sign_in(client)
    sent = client.get(reverse("notifications"))
    assert sent["Location"].startswith(reverse("accounts:password_change"))
    assert "older than 90 days" in client.get(sent["Location"]).content.decode()
    with override_settings(CUNQI_PASSWORD_MAX_AGE_DAYS=0):  # a deployment may not expire them
        assert client.get(reverse("notifications")).status_code == 200


def history_recorded():
    from cunqi.core import history

    return history.recorded()


def age_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


@override_settings(CUNQI_SESSION_IDLE_MINUTES=30, CUNQI_SESSION_MAX_HOURS=12)
def test_a_session_ends_after_its_idle_time_and_at_its_limit(user):
    client = language_client("en")
    sign_in(client)
    assert UserSession.objects.filter(user=user).count() == 1
    age_session(client, cunqi_seen=29 * 60)
    assert client.get(reverse("notifications")).status_code == 200
    age_session(client, cunqi_seen=31 * 60)
    ended = client.get(reverse("notifications"), follow=True)
    assert ended.redirect_chain[-1][0].startswith(LOGIN)
    assert "signed out after 30 minutes without activity" in ended.content.decode()
    assert not UserSession.objects.filter(user=user).exists()

    sign_in(client)
    age_session(client, cunqi_started=13 * 3600)
    ended = client.get(reverse("notifications"), follow=True)
    assert "a session lasts at most 12 hours" in ended.content.decode()


@override_settings(CUNQI_SESSION_IDLE_MINUTES=30)
def test_asking_how_long_is_left_is_not_activity_and_staying_is(user):
    client = Client()
    sign_in(client)
    age_session(client, cunqi_seen=28 * 60)
    state = reverse("accounts:session_state")
    left = client.get(state).json()["remaining"]
    assert 100 <= left <= 120
    assert client.get(state).json()["remaining"] <= left  # the question did not extend it
    assert client.post(reverse("accounts:still_here")).json()["remaining"] > 29 * 60
    page = client.get(reverse("notifications")).content.decode()
    assert f'data-idle-state="{state}"' in page  # the page warns before the end


def test_a_user_sees_where_they_are_signed_in_and_ends_the_others(user):
    phone, office, laptop = Client(), language_client("en"), Client()
    for client in (phone, office, laptop):
        sign_in(client)
    page = office.get(reverse("accounts:sessions")).content.decode()
    assert page.count('name="session"') == 3  # two to end, and "all others"
    assert "this browser" in page
    end = reverse("accounts:end_session")
    office.post(end, {"session": phone.session.session_key})
    assert phone.get(reverse("notifications")).status_code == 302
    assert laptop.get(reverse("notifications")).status_code == 200
    office.post(end, {"session": "others"})
    assert laptop.get(reverse("notifications")).status_code == 302
    assert office.get(reverse("notifications")).status_code == 200
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [
        office.session.session_key
    ]
    # Another user's browser cannot be ended from here.
    other = factories.UserFactory(role="town")
    stranger = Client()
    stranger.force_login(other)
    refused = office.post(end, {"session": stranger.session.session_key})
    assert refused.status_code == 403
    assert stranger.get(reverse("notifications")).status_code == 200


def test_the_pure_rule_of_ending():
    with override_settings(CUNQI_SESSION_IDLE_MINUTES=30, CUNQI_SESSION_MAX_HOURS=12):
        assert sessions.ending(0, 0, 30 * 60) is None
        assert sessions.ending(0, 0, 30 * 60 + 1) == "idle"
        assert sessions.ending(0, 12 * 3600, 12 * 3600 + 1) == "limit"
