"""The task force and administrators give a code from an authenticator app after the
password: enrolment by QR code the first time, the code every time after; until then no
page opens for them. Other roles are not asked."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def test_the_task_force_enrols_then_gives_the_code_at_every_sign_in():
    client, user = signed_in()
    cockpit = reverse("dashboard:cockpit")
    response = client.get(cockpit)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor"))

    page = client.get(response["Location"]).content.decode()
    assert 'class="segno"' in page and "otpauth" not in page  # the QR code, not its URL
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("accounts:second_factor"), {"code": "000000"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    device.throttle_reset()
    right = client.post(
        reverse("accounts:second_factor"), {"code": current_code(device), "next": cockpit}
    )
    assert right.status_code == 302 and right["Location"] == cockpit
    assert client.get(cockpit).status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed

    # A new sign-in asks for the code again, and shows no QR code any more.
    client.post(reverse("accounts:logout"))
    again, _user = Client(), user
    again.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert again.get(cockpit).status_code == 302
    assert 'class="segno"' not in again.get(reverse("accounts:second_factor")).content.decode()


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
