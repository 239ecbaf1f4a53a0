"""A second factor (TOTP, django-otp) for the accounts that hold the programme's keys: the
task force and the administrators (``CUNQI_TOTP_ROLES``). After the password, such a user
proves the current code of an authenticator app; the first time, they add the platform to
the app from a QR code. Until then every page sends them to that step.

API tokens are not asked for a code: they are made on a page that is behind it."""

from __future__ import annotations

from base64 import b32encode
from collections.abc import Callable
from typing import TYPE_CHECKING

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

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
        if required(request.user) and not request.user.is_verified():
            step = reverse("accounts:second_factor")
            exempt = (step, reverse("accounts:logout"), reverse("set_language"))
            if not request.path.startswith((*exempt, settings.STATIC_URL)):
                return redirect_to_login(request.get_full_path(), step)
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("code from the authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        style_field(self.fields["code"])


@login_required
def second_factor(request: HttpRequest):
    user = request.user
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
        device = device or TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=False
        )
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            log_event("login.second_factor", request, enrolled=enrolling)
            target = request.POST.get("next") or request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = reverse(settings.LOGIN_REDIRECT_URL)
            return redirect(target)
        log_event("login.second_factor_failure", request)
        form.add_error("code", _("That code is not right, or has expired: give the current one."))
    context = {"form": form, "enrolling": enrolling, "next": request.GET.get("next", "")}
    if enrolling:
        context["qr"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["key"] = b32encode(device.bin_key).decode()
    return render(request, "accounts/second_factor.html", context)
