"""Sessions that end (GB/T 22239-2019 8.1.4.1 b): after ``CUNQI_SESSION_IDLE_MINUTES``
without a request, and ``CUNQI_SESSION_MAX_HOURS`` after sign-in whatever happens; a page
warns before the idle end and lets the user stay. Each signed-in browser is recorded
(``UserSession``) so that its user can see where they are signed in and end the others.

Times are kept in the session itself (as epoch seconds), so that the check costs no query;
they, and the record's last-seen time, are written at most once a minute."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from cunqi.core.network import client_address
from cunqi.core.security import log_event

if TYPE_CHECKING:
    from cunqi.accounts.models import User

STARTED = "cunqi_started"
SEEN = "cunqi_seen"
RECORDED = "cunqi_recorded"  # when the record's last-seen time was last written
NOTE_EVERY = 60  # seconds


def idle_seconds() -> int:
    return settings.CUNQI_SESSION_IDLE_MINUTES * 60


def limit_seconds() -> int:
    return settings.CUNQI_SESSION_MAX_HOURS * 3600


def ending(started: float, seen: float, now: float) -> str | None:
    """Why a session started and last seen at these times has ended, or None (pure)."""
    if now - seen > idle_seconds():
        return "idle"
    if now - started > limit_seconds():
        return "limit"
    return None


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def end_session(session_key: str) -> None:
    """Sign the browser holding ``session_key`` out: its session and its record go."""
    from cunqi.accounts.models import UserSession

    _store()(session_key).delete()
    UserSession.objects.filter(session_key=session_key).delete()


class SessionPolicy:
    """End a session past its idle time or its absolute limit, else note the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session, now = request.session, time.time()
            started = session.setdefault(STARTED, now)
            why = ending(started, session.get(SEEN, now), now)
            if why:
                return self._signed_out(request, why)
            # The page's own question "how long have I left?" is not activity; activity is
            # noted to the minute, so that most requests write no session.
            if request.path != reverse("accounts:session_state"):
                if now - session.get(SEEN, 0) > NOTE_EVERY:
                    session[SEEN] = now
                if now - session.get(RECORDED, 0) > NOTE_EVERY:
                    session[RECORDED] = now
                    _record(request, request.user)
        return self.get_response(request)

    def _signed_out(self, request: HttpRequest, why: str) -> HttpResponse:
        log_event("session.ended", request, reason=why)
        logout(request)  # its record goes with it (_signed_off)
        if why == "idle":
            text = _("You were signed out after %(minutes)s minutes without activity.") % {
                "minutes": settings.CUNQI_SESSION_IDLE_MINUTES
            }
        else:
            text = _("You were signed out: a session lasts at most %(hours)s hours.") % {
                "hours": settings.CUNQI_SESSION_MAX_HOURS
            }
        messages.warning(request, text)
        return redirect_to_login(request.get_full_path())


def remaining(request: HttpRequest) -> int:
    """Seconds until this session ends by idleness or by its limit, whichever is first."""
    session, now = request.session, time.time()
    idle_end = session.get(SEEN, now) + idle_seconds()
    limit_end = session.get(STARTED, now) + limit_seconds()
    return max(0, int(min(idle_end, limit_end) - now))


def time_left(request: HttpRequest) -> dict:
    """For the page's idle warning (a context processor; no query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"session_left": remaining(request), "session_idle": idle_seconds()}


def session_state(request: HttpRequest) -> JsonResponse:
    """How long the session has left, for the page's warning (asking is not activity)."""
    return JsonResponse({"remaining": remaining(request)})


def _record(request: HttpRequest, user: User) -> None:
    from cunqi.accounts.models import UserSession

    if not request.session.session_key:
        request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "last_seen_at": datetime.now(UTC),
            "address": client_address(request) or "",
            "browser": request.headers.get("User-Agent", "")[:200],
        },
    )


@receiver(user_logged_in)
def _signed_in(sender: type, request: HttpRequest | None, user: User, **kwargs: object) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[STARTED] = request.session[SEEN] = request.session[RECORDED] = now
    _record(request, user)


@receiver(user_logged_out)
def _signed_off(
    sender: type, request: HttpRequest | None, user: User | None, **kwargs: object
) -> None:
    from cunqi.accounts.models import UserSession

    if request is not None and getattr(request, "session", None) and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
