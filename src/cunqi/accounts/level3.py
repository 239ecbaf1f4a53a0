"""The application's part of a protection level-3 assessment (等保2.0 第三级, GB/T
22239-2019 §8.1.4), checked against this deployment's settings and accounts: what
``cunqi security-check`` lists. Each finding names its clause, says what the deployment
has, and whether that meets the clause; requirements the platform does not meet yet are
listed as gaps, so that the check cannot pass before they are built."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from cunqi.accounts.models import User
from cunqi.accounts.passwords import DEMO_PASSWORD
from cunqi.core import crypto, personal
from cunqi.core.audit import MINIMUM_RETENTION_DAYS
from cunqi.core.roles import ADMINISTRATORS, Role

# Roles whose accounts change money or personal data, which level 3 asks to prove who
# they are with two techniques.
WRITING_ROLES = frozenset(
    {Role.TASKFORCE, Role.DEPARTMENT, Role.TOWN, Role.VILLAGE, Role.ENTERPRISE}
)
VALIDATORS = {
    "cunqi.accounts.passwords.LengthValidator",
    "cunqi.accounts.passwords.CharacterClassesValidator",
    "cunqi.accounts.passwords.HistoryValidator",
}


@dataclass(frozen=True)
class Finding:
    clause: str  # GB/T 22239-2019
    requirement: str
    state: str  # what this deployment has
    met: bool


def findings() -> list[Finding]:
    found = [
        *_authentication(),
        *_sessions(),
        *_transport(),
        *_accounts(),
        *_audit(),
        *_personal_data(),
    ]
    return found


def _authentication() -> list[Finding]:
    named = {entry["NAME"] for entry in settings.AUTH_PASSWORD_VALIDATORS}
    days = settings.CUNQI_PASSWORD_MAX_AGE_DAYS
    roles = set(settings.CUNQI_TOTP_ROLES)
    uncovered = sorted(role for role in WRITING_ROLES if role not in roles)
    return [
        Finding(
            "8.1.4.1 a",
            "passwords of at least 8 characters mixing upper, lower, digits and symbols",
            f"minimum {settings.CUNQI_PASSWORD_MIN_LENGTH}; validators "
            + ("all present" if named >= VALIDATORS else f"missing {sorted(VALIDATORS - named)}"),
            named >= VALIDATORS and settings.CUNQI_PASSWORD_MIN_LENGTH >= 8,
        ),
        Finding(
            "8.1.4.1 a",
            "passwords changed periodically (at most every 90 days), none reused",
            f"expire after {days} days; last {settings.CUNQI_PASSWORD_HISTORY} refused",
            0 < days <= 90 and settings.CUNQI_PASSWORD_HISTORY >= 1,
        ),
        Finding(
            "8.1.4.1 b",
            "failed sign-ins end in a lock (at most 5, for at least 30 minutes)",
            f"{settings.AXES_FAILURE_LIMIT} failures, "
            f"{int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} minutes",
            settings.AXES_FAILURE_LIMIT <= 5 and settings.AXES_COOLOFF_TIME.total_seconds() >= 1800,
        ),
        Finding(
            "8.1.4.1 d",
            "two authentication techniques for every account that changes money or "
            "personal data, and for administrators",
            "second factor for " + (", ".join(sorted(roles)) or "no role"),
            not uncovered and "admin" in roles,
        ),
        Finding(
            "8.1.4.1 d",
            "an authenticator app bound only with an administrator's one-time code",
            f"enrolment codes valid {settings.CUNQI_ENROLMENT_CODE_HOURS} hours",
            0 < settings.CUNQI_ENROLMENT_CODE_HOURS <= 7 * 24,
        ),
    ]


def _sessions() -> list[Finding]:
    idle, most = settings.CUNQI_SESSION_IDLE_MINUTES, settings.CUNQI_SESSION_MAX_HOURS
    return [
        Finding(
            "8.1.4.1 b",
            "sessions end after at most 30 minutes idle, and at an absolute limit",
            f"{idle} minutes idle, {most} hours at most",
            0 < idle <= 30 and 0 < most <= 24,
        )
    ]


def _transport() -> list[Finding]:
    return [
        Finding(
            "8.1.4.1 c",
            "credentials and data cross the network encrypted (HTTPS, secure cookies, HSTS)",
            "HTTPS on" if settings.HTTPS else "HTTPS off (CUNQI_HTTPS=0)",
            bool(
                settings.HTTPS and settings.SESSION_COOKIE_SECURE and settings.SECURE_HSTS_SECONDS
            ),
        ),
        Finding(
            "8.1.4.4",
            "no debugging output reaches users",
            "debug off" if not settings.DEBUG else "debug ON (CUNQI_DEBUG=1)",
            not settings.DEBUG,
        ),
    ]


def _accounts() -> list[Finding]:
    active = User.objects.filter(is_active=True)
    demo = [user.username for user in active.exclude(role="") if user.check_password(DEMO_PASSWORD)]
    superusers = active.filter(is_superuser=True).count()
    administrators = {
        role: active.filter(role=role, is_staff=True).count() for role in ADMINISTRATORS
    }
    roles = set(settings.CUNQI_TOTP_ROLES)
    asked = active.filter(
        Q(role__in=roles) | (Q(is_superuser=True) | Q(is_staff=True) if "admin" in roles else Q())
    )
    unenrolled = asked.exclude(
        pk__in=TOTPDevice.objects.filter(confirmed=True).values("user")
    ).count()
    return [
        Finding(
            "8.1.4.2 b",
            "no account keeps a published (default) password",
            f"{len(demo)} account(s) with the demo password" if demo else "none",
            not demo,
        ),
        Finding(
            "8.1.4.2 d",
            "separate system, security and audit administrators (三权分立), each assigned",
            ", ".join(
                f"{Role(role).label}: {count}" for role, count in sorted(administrators.items())
            ),
            all(administrators.get(role) for role in ADMINISTRATORS),
        ),
        Finding(
            "8.1.4.2 d",
            "the installation's superuser kept for installation only",
            f"{superusers} active superuser(s)",
            superusers <= 1,
        ),
        Finding(
            "8.1.4.1 d",
            "accounts asked for a second factor have bound one (information: a new "
            "account binds it at its first sign-in)",
            f"{unenrolled} not yet bound",
            True,
        ),
    ]


def _audit() -> list[Finding]:
    days = settings.CUNQI_AUDIT_RETENTION_DAYS
    guarded = connection.vendor == "postgresql"
    return [
        Finding(
            "8.1.4.3 c",
            "audit records kept at least 180 days, then archived to a signed file",
            f"kept {days} days; archive signed with "
            + ("its own key" if settings.CUNQI_AUDIT_ARCHIVE_KEY else "the secret key"),
            days >= MINIMUM_RETENTION_DAYS,
        ),
        Finding(
            "8.1.4.3 c",
            "audit records protected from change and deletion by the database",
            "append-only (PostgreSQL triggers)"
            if guarded
            else f"{connection.vendor}: not enforced",
            guarded,
        ),
    ]


def _personal_data() -> list[Finding]:
    ring = crypto.keyring()
    census = personal.key_census()
    others = sorted(key for key in census if key != ring.current)
    keys = "derived from the secret key" if ring.derived else f"current key {ring.current!r}"
    sealed = f"{sum(census.values())} values sealed"
    if others:
        sealed += f", {sum(census[key] for key in others)} still under {', '.join(others)}"
    readers = sorted(
        {
            role
            for model in personal.sealed_models()
            for role in (Role.TASKFORCE, *model.edit_policy.roles_for("reveal"))
        }
    )
    return [
        Finding(
            "8.1.4.8",
            "personal data (ID numbers, phones, bank accounts) encrypted at rest with keys "
            "kept outside the database",
            f"{ring.cipher}, {keys}; lookup key "
            + ("derived" if not settings.CUNQI_LOOKUP_KEY else "its own")
            + f"; {sealed}",
            not ring.derived and bool(settings.CUNQI_LOOKUP_KEY) and not others,
        ),
        Finding(
            "8.1.4.11",
            "personal data shown masked unless a reason is given (audited reveal)",
            f"masked on pages, exports, the API and the history; revealed by {', '.join(readers)} "
            "with a reason, recorded in the audit trail",
            True,
        ),
    ]
