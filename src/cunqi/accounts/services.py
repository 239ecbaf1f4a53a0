"""The one door for an account's password, its second factor and its sessions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cunqi.accounts.models import EnrolmentCode, PasswordRecord, User, UserSession
from cunqi.accounts.sessions import end_session
from cunqi.core.security import log_event

# No 0/O or 1/I/L: read out over the phone or copied from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_CODES = 10


@transaction.atomic
def set_password(user: User, raw: str, *, reset: bool) -> None:
    """Give ``user`` the password ``raw`` if the policy allows it. The one replaced is
    remembered, so that it is not chosen again; ``reset`` (an administrator setting it)
    makes the user choose their own at the next sign-in."""
    password_validation.validate_password(raw, user)
    now = timezone.now()
    if user.password:
        PasswordRecord.objects.create(user=user, password=user.password, set_at=now)
        kept = user.password_records.values_list("pk", flat=True)[
            : max(settings.CUNQI_PASSWORD_HISTORY, 1)
        ]
        user.password_records.exclude(pk__in=list(kept)).delete()
    user.set_password(raw)
    user.password_changed_at = now
    user.must_change_password = reset
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])


def end_other_session(user: User, session_key: str) -> None:
    """Sign ``user`` out of one of their browsers (only their own)."""
    if not UserSession.objects.filter(user=user, session_key=session_key).exists():
        raise PermissionDenied
    end_session(session_key)


def end_other_sessions(user: User, current_key: str | None) -> int:
    """Sign ``user`` out everywhere but here; how many browsers were signed out."""
    keys = list(
        UserSession.objects.filter(user=user)
        .exclude(session_key=current_key or "")
        .values_list("session_key", flat=True)
    )
    for key in keys:
        end_session(key)
    return len(keys)


def _digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


@transaction.atomic
def issue_enrolment_code(user: User, *, by: User | None) -> str:
    """A new one-time code with which ``user`` may bind an authenticator app; any earlier
    unused one stops working. The code is returned to be shown once, never stored."""
    user.enrolment_codes.filter(used_at__isnull=True).delete()
    code = "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3))
    EnrolmentCode.objects.create(
        user=user,
        digest=_digest(code),
        issued_by=by,
        expires_at=timezone.now() + timedelta(hours=settings.CUNQI_ENROLMENT_CODE_HOURS),
    )
    log_event("second_factor.code_issued", user=by, account=user.pk)
    return code


@transaction.atomic
def take_enrolment_code(user: User, code: str) -> bool:
    """Whether ``code`` is ``user``'s, unused and unexpired; it is used up if it is."""
    found = (
        user.enrolment_codes.select_for_update()
        .filter(digest=_digest(code), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if found is None:
        return False
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    return True


@transaction.atomic
def reset_second_factor(user: User, *, by: User | None) -> None:
    """Unbind ``user``'s authenticator app and recovery codes (a lost phone): they enrol
    again with a new enrolment code."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.enrolment_codes.filter(used_at__isnull=True).delete()
    log_event("second_factor.reset", user=by, account=user.pk)


@transaction.atomic
def make_recovery_codes(user: User) -> list[str]:
    """Ten new single-use codes for when the phone is lost; earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
