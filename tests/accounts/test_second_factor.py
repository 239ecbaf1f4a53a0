"""Accounts that can change money or personal data give a code from an authenticator app
after the password: the first time, only with the one-time enrolment code an
administrator issued (the password alone binds no app), then by QR code, with ten
recovery codes shown once; the code every time after; until then no page opens for them.
Roles left out of CUNQI_TOTP_ROLES are not asked."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cunqi.accounts import services
from cunqi.core.models import Department
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("required")]
PASSWORD = "kW9#villages-and-enterprises"


@pytest.fixture
def required():
    with override_settings(CUNQI_TOTP_ROLES=("taskforce", "admin")):
        yield


def signed_in(role="taskforce", **extra) -> tuple[Client, object]:
    user = factories.UserFactory(role=role, username=f"{role}-user", **extra)
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    return client, user


def current_code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def enrol(client: Client, user, cockpit: str) -> list[str]:
    """Give the enrolment code, then the app's first code: the recovery codes shown."""
    code = services.issue_enrolment_code(user, by=None)
    step = reverse("accounts:second_factor")
    assert client.post(step, {"enrolment_code": code.lower()}).status_code == 302
    client.get(step)  # the QR code page makes the app's key
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(step, {"code": current_code(device), "next": cockpit})
    assert done.status_code == 200
    return done.context["codes"]


def test_the_task_force_enrols_then_gives_the_code_at_every_sign_in():
    client, user = signed_in()
    cockpit = reverse("dashboard:cockpit")
    response = client.get(cockpit)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor"))

    # The password alone shows no QR code: the enrolment code comes first.
    step = reverse("accounts:second_factor")
    page = client.get(response["Location"]).content.decode()
    assert 'name="enrolment_code"' in page and 'class="segno"' not in page
    assert not TOTPDevice.objects.filter(user=user).exists()
    code = services.issue_enrolment_code(user, by=None)
    assert client.post(step, {"enrolment_code": "ABCD-EFGH-JKMN"}).status_code == 200
    assert client.post(step, {"enrolment_code": code}).status_code == 302

    page = client.get(step).content.decode()
    assert 'class="segno"' in page and "otpauth" not in page  # the QR code, not its URL
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(step, {"code": "000000"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    device.throttle_reset()
    right = client.post(step, {"code": current_code(device), "next": cockpit})
    assert right.status_code == 200 and len(right.context["codes"]) == 10  # shown once
    assert f'href="{cockpit}"' in right.content.decode()
    assert client.get(cockpit).status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed

    # A new sign-in asks for the code again, and shows no QR code any more.
    client.post(reverse("accounts:logout"))
    again, _user = Client(), user
    again.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert again.get(cockpit).status_code == 302
    assert 'class="segno"' not in again.get(step).content.decode()


def test_an_enrolment_code_is_single_use_expires_and_is_the_accounts_own():
    client, user = signed_in()
    _other_client, other = signed_in(role="town", town=factories.TownFactory())
    step = reverse("accounts:second_factor")
    theirs = services.issue_enrolment_code(other, by=None)
    assert client.post(step, {"enrolment_code": theirs}).status_code == 200  # not this one's
    first = services.issue_enrolment_code(user, by=None)
    second = services.issue_enrolment_code(user, by=None)  # the first stops working
    assert client.post(step, {"enrolment_code": first}).status_code == 200
    with override_settings(CUNQI_ENROLMENT_CODE_HOURS=-1):
        expired = services.issue_enrolment_code(user, by=None)
    assert client.post(step, {"enrolment_code": expired}).status_code == 200
    assert client.post(step, {"enrolment_code": second}).status_code == 200  # replaced too
    code = services.issue_enrolment_code(user, by=None)
    assert client.post(step, {"enrolment_code": code}).status_code == 302
    assert not services.take_enrolment_code(user, code)  # used up


def test_a_recovery_code_signs_in_once_and_a_reset_makes_the_account_enrol_again():
    client, user = signed_in()
    cockpit = reverse("dashboard:cockpit")
    codes = enrol(client, user, cockpit)
    step = reverse("accounts:second_factor")

    def sign_in_with(code: str) -> int:
        browser = Client()
        browser.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
        browser.post(step, {"code": code})
        return browser.get(cockpit).status_code

    assert sign_in_with(codes[0]) == 200
    assert sign_in_with(codes[0]) == 302  # once only
    for device in (*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)):
        device.throttle_reset()  # a failure makes the next try wait
    assert sign_in_with(codes[1].upper()) == 200

    services.reset_second_factor(user, by=None)
    assert not TOTPDevice.objects.filter(user=user).exists()
    browser = Client()
    browser.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert 'name="enrolment_code"' in browser.get(step).content.decode()
    assert sign_in_with(codes[2]) == 302  # the old recovery codes went with the app


def test_by_default_every_role_that_writes_money_or_personal_data_is_asked():
    with override_settings(CUNQI_TOTP_ROLES=tuple(settings.TOTP_DEFAULT_ROLES.split(","))):
        for role, scope in (
            ("department", {"department": Department.objects.get(code="water")}),
            ("town", {"town": factories.TownFactory()}),
            ("village", {"village": factories.VillageFactory()}),
        ):
            client, _user = signed_in(role=role, **scope)
            assert client.get(reverse("dashboard:cockpit")).status_code == 302, role
        leader, _user = signed_in(role="leader")
        assert leader.get(reverse("dashboard:cockpit")).status_code == 200


def test_superusers_are_asked_and_other_roles_are_not():
    admin, _user = signed_in(role="town", is_superuser=True)
    assert admin.get(reverse("dashboard:cockpit")).status_code == 302
    village, _user = signed_in(role="village", village=factories.VillageFactory())
    assert village.get(reverse("dashboard:cockpit")).status_code == 200


def test_signing_out_and_switching_language_stay_open_before_the_code():
    client, _user = signed_in()
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("notifications"))["Location"].startswith(reverse("accounts:login"))
