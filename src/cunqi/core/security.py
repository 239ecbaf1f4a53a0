"""Security events: sign-ins (made and failed), sign-outs, lock-outs, refusals, imports
and exports, reads of households' payment data and administrators' actions, each with the
user, the time, the address and the request's id (also sent back as X-Request-ID, so a
user's report can be matched to its lines). Each is a log line and a row of the audit
trail (``SecurityEvent``), which the audit administrator searches.

Passwords never reach a log line (Django masks them in the sign-in signals and no event
carries one), and any 18-character resident ID number in any log line is masked by
``Redact``, installed on every handler.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse

from cunqi.core.network import client_address

if TYPE_CHECKING:  # imported by the logging set-up, before the apps are ready
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger("cunqi.security")
request_id: ContextVar[str] = ContextVar("request_id", default="-")
# The request being answered, for events raised where it is not at hand (signals).
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{9}[0-9Xx](?![0-9A-Za-z])")


# Every event the platform records: its category on the audit trail, and its outcome.
SUCCESS, FAILURE, REFUSED = "success", "failure", "refused"
EVENTS: dict[str, tuple[str, str]] = {
    "login.success": ("sign_in", SUCCESS),
    "login.failure": ("sign_in", FAILURE),
    "login.locked": ("sign_in", FAILURE),
    "login.second_factor": ("sign_in", SUCCESS),
    "login.second_factor_failure": ("sign_in", FAILURE),
    "second_factor.code_used": ("sign_in", SUCCESS),
    "second_factor.code_refused": ("sign_in", FAILURE),
    "logout": ("sign_in", SUCCESS),
    "password.changed": ("sign_in", SUCCESS),
    "session.ended": ("sign_in", SUCCESS),
    "session.ended_one": ("sign_in", SUCCESS),
    "session.ended_others": ("sign_in", SUCCESS),
    "permission.denied": ("refusal", REFUSED),
    "read.payments": ("read", SUCCESS),
    "read.personal": ("read", SUCCESS),
    "read.reveal": ("read", SUCCESS),
    "export": ("read", SUCCESS),
    "audit.export": ("read", SUCCESS),
    "import.check": ("change", SUCCESS),
    "import.commit": ("change", SUCCESS),
    "second_factor.code_issued": ("admin", SUCCESS),
    "second_factor.reset": ("admin", SUCCESS),
    "admin.addition": ("admin", SUCCESS),
    "admin.change": ("admin", SUCCESS),
    "admin.deletion": ("admin", SUCCESS),
    "audit.archive": ("admin", SUCCESS),
    "keys.rotated": ("admin", SUCCESS),
}


def user_label(user: AbstractBaseUser | None) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    return f"{user.username}#{user.pk}"


def log_event(
    event: str,
    request: HttpRequest | None = None,
    user: AbstractBaseUser | None = None,
    **details: object,
) -> None:
    """One line of the log and one row of the audit trail: the event, who, from where,
    and ``details`` as key=value."""
    category, outcome = EVENTS[event]
    request = request if request is not None else current_request.get()
    account = user if user is not None else getattr(request, "user", None)
    who = user_label(account)
    address = client_address(request) if request is not None else ""
    parts = [event, f"user={who}"]
    if request is not None:
        parts += [f"ip={address}", f"path={request.path}"]
    said = " ".join(f"{key}={value}" for key, value in details.items())
    logger.info(" ".join([*parts, said]).rstrip())
    signed_in = who != "anonymous"
    _record(
        kind=event,
        category=category,
        outcome=outcome,
        user_id=account.pk if signed_in else None,
        username=account.get_username() if signed_in else str(details.get("username", "")),
        address=address[:45],
        path=request.path[:300] if request is not None else "",
        request_id=getattr(request, "id", "") or request_id.get().strip("-"),
        details=mask_id_numbers(said),
    )


def _record(**fields: object) -> None:
    # A savepoint of its own: an event that cannot be stored never spoils the request's
    # transaction, and says so loudly (the line above is in the log either way).
    from cunqi.core.models import SecurityEvent

    try:
        with transaction.atomic():
            SecurityEvent.objects.create(**fields)
    except DatabaseError:
        logger.exception("the audit trail could not store %s", fields["kind"])


def mask_id_numbers(text: str) -> str:
    return ID_NUMBER.sub(lambda match: match.group()[:6] + "*" * 12, text)


class SecurityLogMiddleware:
    """Give every request an id (the trusted proxy's X-Request-ID, or a new one) and log
    every refusal of a signed-in user's request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "") if settings.TRUSTED_PROXIES else ""
        request.id = given if _SAFE_ID.fullmatch(given) else uuid.uuid4().hex
        token, current = request_id.set(request.id), current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
            current_request.reset(current)
        response["X-Request-ID"] = request.id
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            log_event("permission.denied", request)


class RequestId(logging.Filter):
    """Every log record carries the id of the request it was written in."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class Redact(logging.Filter):
    """Mask resident ID numbers wherever a log line would carry one."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
