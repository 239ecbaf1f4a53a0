"""A second factor (TOTP, django-otp) for every account that can change money or personal
data (``CUNQI_TOTP_ROLES``: by default every role that writes, and the administrators).
After the password, such a user proves the current code of an authenticator app, or one
of their single-use recovery codes. The first time, the password alone is not enough to
bind an app: the account's one-time enrolment code, issued by an administrator
(``cunqi enrolment_code``, or the user admin), must be given first; then the app is added
from a QR code, and ten recovery codes are shown once. Until then every page sends them
to that step.

API tokens are not asked for a code: they are made on a page that is behind it."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from typing import TYPE_CHECKING

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cunqi.accounts import services
from cunqi.core.forms import style_field
from cunqi.core.security import log_event

if TYPE_CHECKING:
    from cunqi.accounts.models import User


def required(user: User) -> bool:
    if not user.is_authenticated:
        return False
    roles = settings.CUNQI_TOTP_ROLES
    return user.role in roles or ("admin" in roles and (user.is_superuser or user.is_staff))


class RequireSecondFactor:
    """Send a user who needs a second factor and has not given it to the step that asks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        needs_code = required(request.user) and not request.user.is_verified()
        if needs_code and (sent := send_to_step(request, "accounts:second_factor")):
            return sent
        return self.get_response(request)


def send_to_step(request: HttpRequest, step_name: str) -> HttpResponse | None:
    """Send ``request`` to the sign-in step ``step_name`` it must take first, or None
    where it may go on (the step itself, signing out, switching language, static files)."""
    step = reverse(step_name)
    exempt = (step, reverse("accounts:logout"), reverse("set_language"), settings.STATIC_URL)
    if request.path.startswith(exempt):
        return None
    return redirect_to_login(request.get_full_path(), step)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("code from the authenticator app, or a recovery code"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        style_field(self.fields["code"])


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label=gettext_lazy("enrolment code"),
        max_length=20,
        help_text=gettext_lazy("The one-time code your administrator gave you for this account."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        style_field(self.fields["enrolment_code"])


ENROLLING = "cunqi_enrolment_for"  # the session holds whose enrolment code was given


def _refuse_code(request: HttpRequest, form: CodeForm) -> None:
    log_event("login.second_factor_failure", request)
    form.add_error("code", _("That code is not right, or has expired: give the current one."))


def _target(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse(settings.LOGIN_REDIRECT_URL)
    return target


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        return _enrol(request, user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        code = form.cleaned_data["code"].strip()
        recovery = StaticDevice.objects.filter(user=user, name="recovery").first()
        if device.verify_token(code):
            used = device
        elif recovery is not None and recovery.verify_token(code.lower()):
            used = recovery
            left = recovery.token_set.count()
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code: %(count)s is left.",
                    "You signed in with a recovery code: %(count)s are left.",
                    left,
                )
                % {"count": left},
            )
        else:
            used = None
        if used is not None:
            otp_login(request, used)
            log_event("login.second_factor", request, recovery=used is recovery)
            return redirect(_target(request))
        _refuse_code(request, form)
    context = {"form": form, "enrolling": False, "next": request.GET.get("next", "")}
    return render(request, "accounts/second_factor.html", context)


def _enrol(request: HttpRequest, user: User) -> HttpResponse:
    """The first time: the enrolment code, then the app's QR code and its first code,
    then the recovery codes, shown once."""
    next_url = request.GET.get("next", "")
    if request.session.get(ENROLLING) != user.pk:
        form = EnrolmentCodeForm(request.POST or None)
        if form.is_valid():
            if services.take_enrolment_code(user, form.cleaned_data["enrolment_code"]):
                request.session[ENROLLING] = user.pk
                log_event("second_factor.code_used", request)
                return redirect(request.get_full_path())
            log_event("second_factor.code_refused", request)
            form.add_error(
                "enrolment_code",
                _(
                    "That enrolment code is not right, was used already or has expired: "
                    "ask your administrator for a new one."
                ),
            )
        context = {"form": form, "asking_code": True, "next": next_url}
        return render(request, "accounts/second_factor.html", context)
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    device = device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            del request.session[ENROLLING]
            log_event("login.second_factor", request, enrolled=True)
            context = {"codes": services.make_recovery_codes(user), "next": _target(request)}
            return render(request, "accounts/recovery_codes.html", context)
        _refuse_code(request, form)
    context = {
        "form": form,
        "enrolling": True,
        "next": next_url,
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4),
        "key": b32encode(device.bin_key).decode(),
    }
    return render(request, "accounts/second_factor.html", context)
