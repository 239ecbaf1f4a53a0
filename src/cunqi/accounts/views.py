from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cunqi.accounts import passwords, services
from cunqi.accounts.forms import PasswordChangeForm
from cunqi.accounts.models import UserSession
from cunqi.accounts.sessions import session_state
from cunqi.core.forms import add_refusal
from cunqi.core.security import log_event


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """django-axes' answer to a sign-in while locked out: 429, in the reader's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if form.is_valid():
        try:
            services.set_password(request.user, form.cleaned_data["new_password1"], reset=False)
        except ValidationError as error:
            add_refusal(form, ValidationError({"new_password1": error.messages}))
        else:
            update_session_auth_hash(request, request.user)  # this browser stays signed in
            log_event("password.changed", request)
            messages.success(request, _("Your password was changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {
        "form": form,
        "reason": passwords.must_change(request.user),
        "expires_on": passwords.expires_on(request.user),
    }
    return render(
        request, "accounts/password_change.html", context, status=400 if form.errors else 200
    )


def sessions(request: HttpRequest) -> HttpResponse:
    """Where the user is signed in, this browser first; the others can be ended."""
    here = request.session.session_key
    rows = sorted(
        UserSession.objects.filter(user=request.user),
        key=lambda row: (row.session_key != here, -row.last_seen_at.timestamp()),
    )
    context = {
        "rows": rows,
        "here": here,
        "idle_minutes": settings.CUNQI_SESSION_IDLE_MINUTES,
        "max_hours": settings.CUNQI_SESSION_MAX_HOURS,
    }
    return render(request, "accounts/sessions.html", context)


@require_POST
def end_session(request: HttpRequest) -> HttpResponse:
    key = request.POST.get("session", "")
    if key == "others":
        count = services.end_other_sessions(request.user, request.session.session_key)
        log_event("session.ended_others", request, count=count)
        messages.success(request, _("Signed out everywhere else."))
    elif key and key != request.session.session_key:
        services.end_other_session(request.user, key)
        log_event("session.ended_one", request)
        messages.success(request, _("That browser was signed out."))
    return redirect("accounts:sessions")


@require_POST
def still_here(request: HttpRequest) -> HttpResponse:
    """The idle warning's “stay signed in”: the request itself is the activity; it answers
    how long the session now has."""
    return session_state(request)
