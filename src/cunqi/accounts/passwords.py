"""The password policy of protection level 3 (GB/T 22239-2019 8.1.4.1 a): passwords of
every character class, not one of the user's last ones, changed when they expire and at
the first sign-in of an account an administrator made or reset.

The limits are the deployment's (``CUNQI_PASSWORD_*``); the validators sit in
``AUTH_PASSWORD_VALIDATORS`` beside Django's, so every form that sets a password (the
user's own change, an administrator's reset, the admin's new account) applies them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cunqi.accounts.second_factor import send_to_step

if TYPE_CHECKING:
    from cunqi.accounts.models import User

# The demo's password is printed in the README: an account that still has it is open.
DEMO_PASSWORD = "cunqi-demo"

CLASSES = (
    ("lower", str.islower),
    ("upper", str.isupper),
    ("digit", str.isdigit),
    ("symbol", lambda char: not char.isalnum() and not char.isspace()),
)


class LengthValidator(MinimumLengthValidator):
    """Django's, with a message Chinese readers get in Chinese (Django 5.2 changed the
    message's text, and its Chinese catalogue has only the old one)."""

    def get_error_message(self) -> str:
        return ngettext(
            "The password is too short: it needs at least %(count)s character.",
            "The password is too short: it needs at least %(count)s characters.",
            self.min_length,
        ) % {"count": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must have at least %(count)s character.",
            "Your password must have at least %(count)s characters.",
            self.min_length,
        ) % {"count": self.min_length}


class CharacterClassesValidator:
    """Upper- and lower-case letters, digits and symbols, all of them."""

    def validate(self, password: str, user: User | None = None) -> None:
        missing = [name for name, test in CLASSES if not any(test(char) for char in password)]
        if missing:
            names = {
                "lower": _("a lower-case letter"),
                "upper": _("an upper-case letter"),
                "digit": _("a digit"),
                "symbol": _("a symbol such as ! # @ or *"),
            }
            raise ValidationError(
                _("The password needs %(missing)s as well.")
                % {"missing": _(", ").join(str(names[name]) for name in missing)},
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _("Your password must mix upper- and lower-case letters, digits and symbols.")


class HistoryValidator:
    """None of the user's last ``CUNQI_PASSWORD_HISTORY`` passwords (the current one
    counts)."""

    def validate(self, password: str, user: User | None = None) -> None:
        remember = settings.CUNQI_PASSWORD_HISTORY
        if user is None or user.pk is None or remember <= 0:
            return
        hashes = [user.password] if user.password else []
        hashes += list(
            user.password_records.order_by("-set_at", "-pk").values_list("password", flat=True)[
                :remember
            ]
        )
        if any(check_password(password, hashed) for hashed in hashes[:remember]):
            raise ValidationError(
                ngettext(
                    "The password must differ from your last one.",
                    "The password must differ from your last %(count)s.",
                    remember,
                )
                % {"count": remember},
                code="password_reused",
            )

    def get_help_text(self) -> str:
        remember = settings.CUNQI_PASSWORD_HISTORY
        return ngettext(
            "It cannot be your last password again.",
            "It cannot be one of your last %(count)s passwords.",
            remember,
        ) % {"count": remember}


def expires_on(user: User) -> datetime | None:
    """When ``user``'s password must be changed, None if passwords do not expire here."""
    days = settings.CUNQI_PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return None
    return (user.password_changed_at or user.date_joined) + timedelta(days=days)


def must_change(user: User, now: datetime | None = None) -> str | None:
    """Why ``user`` must choose a new password before anything else, or None."""
    if user.must_change_password:
        return _("Choose a password of your own before you go on.")
    expiry = expires_on(user)
    if expiry is not None and expiry <= (now or timezone.now()):
        return _("Your password is older than %(days)s days: choose a new one.") % {
            "days": settings.CUNQI_PASSWORD_MAX_AGE_DAYS
        }
    return None


class RequirePasswordChange:
    """Send a signed-in user whose password must change to the page that changes it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        changing = user.is_authenticated and must_change(user)
        if changing and (sent := send_to_step(request, "accounts:password_change")):
            return sent
        return self.get_response(request)
