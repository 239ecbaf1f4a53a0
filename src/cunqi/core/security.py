"""Security events as log lines: sign-ins (made and failed), sign-outs, lock-outs,
refusals, imports and exports, and reads of households' payment data, each with the
user, the time and the request's id (also sent back as X-Request-ID, so a user's report
can be matched to its lines).

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
from django.http import HttpRequest, HttpResponse

from cunqi.core.network import client_address

if TYPE_CHECKING:  # imported by the logging set-up, before the apps are ready
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger("cunqi.security")
request_id: ContextVar[str] = ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:19|20)[0-9]{9}[0-9Xx](?![0-9A-Za-z])")


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
    """One line: the event, who, from where, and ``details`` as key=value."""
    who = user_label(user if user is not None else getattr(request, "user", None))
    parts = [event, f"user={who}"]
    if request is not None:
        parts += [f"ip={client_address(request)}", f"path={request.path}"]
    parts += [f"{key}={value}" for key, value in details.items()]
    logger.info(" ".join(parts))


class SecurityLogMiddleware:
    """Give every request an id (the trusted proxy's X-Request-ID, or a new one) and log
    every refusal of a signed-in user's request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "") if settings.TRUSTED_PROXIES else ""
        request.id = given if _SAFE_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
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
        masked = ID_NUMBER.sub(lambda match: match.group()[:6] + "*" * 12, message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
