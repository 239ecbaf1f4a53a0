"""Villagers' personal information (PIPL; protection level 3, 8.1.4.8 and 8.1.4.11):
identity numbers, phones and bank accounts are sealed in the database (no clear text in
the column, checked by reading it directly), shown masked on every page, export, API
answer and history entry, found by the full identity number, and read in full only by the
roles that keep the roster, with a reason recorded in the audit trail. A value sent back
masked (a form, an exported workbook) keeps what is stored, through every door. Keys
rotate without losing a value."""

import base64
import io

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cunqi.api import tokens
from cunqi.core import crypto, personal
from cunqi.core.models import SecurityEvent
from cunqi.core.roles import Role
from cunqi.exchange import importer, workbooks
from cunqi.exchange.kinds import KINDS
from cunqi.registry.models import Household
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users

ID_NUMBER = "11010519491231002X"  # GB 11643's own example
PHONE = "13912345678"
ACCOUNT = "6222021234567890123"
SHOWN = {
    "id_number": "110105********002X",
    "phone": "139****5678",
    "bank_account": "6222***********0123",
}
FULL = {"id_number": ID_NUMBER, "phone": PHONE, "bank_account": ACCOUNT}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _key(seed: int, size: int = 32) -> str:
    return base64.b64encode(bytes((seed + i) % 256 for i in range(size))).decode()


# ---- the ciphers against their standards' vectors (no database) ------------------------


def test_sm4_and_sm3_give_the_standards_own_vectors():
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    # GB/T 32907-2016, appendix A.1
    assert (
        encryptor.update(key) + encryptor.finalize()
    ).hex() == "681edf34d206965e86b3e94f536e4246"
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"abc")  # GB/T 32905-2016, appendix A.1
    assert digest.finalize().hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_sm4_gcm_and_aes_gcm_as_the_platform_seals_give_the_published_vectors():
    # RFC 8998, appendix A.1 (SM4-GCM)
    ring = crypto.Keyring(
        "sm4-gcm", {"k": bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")}, b"x" * 32
    )
    plain = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    nonce = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    encryptor = crypto._sm4_gcm(ring.keys["k"], nonce).encryptor()
    encryptor.authenticate_additional_data(aad)
    sealed = encryptor.update(plain) + encryptor.finalize()
    assert sealed.hex().upper() == (
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
    )
    assert encryptor.tag.hex().upper() == "83DE3541E4C2B58177E065A9BF7B62EC"
    # McGrew and Viega's GCM test case 3 (AES-128 here; the platform uses 256-bit keys)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    out = AESGCM(bytes.fromhex("feffe9928665731c6d6a8f9467308308")).encrypt(
        bytes.fromhex("cafebabefacedbaddecaf888"),
        bytes.fromhex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
        ),
        None,
    )
    assert out[-16:].hex() == "4d5c2af327cd64a62cf35abd2ba6fab4"


@pytest.mark.parametrize("cipher", crypto.CIPHERS)
def test_a_sealed_value_opens_only_with_its_key_in_its_column(cipher):
    size = crypto.KEY_BYTES[cipher]
    ring = crypto.keyring_from(cipher, f"k2={_key(1, size)},k1={_key(2, size)}", _key(3), "s")
    token = crypto.seal(ID_NUMBER, "registry.household.id_number", ring)
    assert ID_NUMBER not in token and token.startswith(f"k2:{cipher}:")
    assert crypto.open_sealed(token, "registry.household.id_number", ring) == ID_NUMBER
    assert crypto.seal(ID_NUMBER, "registry.household.id_number", ring) != token  # fresh nonce
    with pytest.raises(crypto.SealError):  # moved to another column
        crypto.open_sealed(token, "registry.household.phone", ring)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(crypto.SealError):
        crypto.open_sealed(tampered, "registry.household.id_number", ring)
    newer = crypto.keyring_from(cipher, f"k3={_key(4, size)}", _key(3), "s")
    with pytest.raises(crypto.SealError, match="no key 'k2'"):
        crypto.open_sealed(token, "registry.household.id_number", newer)


def test_a_key_setting_that_cannot_be_used_says_why():
    with pytest.raises(crypto.SealError, match="needs 16"):
        crypto.keyring_from("sm4-gcm", f"k1={_key(1)}", "", "s")
    with pytest.raises(crypto.SealError, match="not base64"):
        crypto.keyring_from("aes-gcm", "k1=%%%", "", "s")
    with pytest.raises(crypto.SealError, match="one of"):
        crypto.keyring_from("des", "", "", "s")
    assert crypto.keyring_from("aes-gcm", "", "", "s").derived


def test_masks_and_identity_number_checks():
    for name, shown in SHOWN.items():
        assert str(personal.Personal(personal.KINDS[name], FULL[name])) == shown
    assert str(personal.Personal(personal.KINDS["phone"], "02988881234")) == "*******1234"
    assert personal.id_number_problem(ID_NUMBER) is None
    assert "check digit" in personal.id_number_problem("110105194912310021")
    assert personal.id_number_problem("11010519491231") is not None
    assert personal.with_id_check("11010519491231002") == ID_NUMBER


# ---- in the database, through every door ------------------------------------------------


@pytest.fixture
def world():
    side = build_side("A")
    users = build_users(side)
    household = side.household
    for name, value in FULL.items():
        setattr(household, name, value)
    household.save()
    return side, users, household


def _raw(household: Household) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, bank_account, id_number_hash FROM registry_household "
            "WHERE id = %s",
            [household.pk],
        )
        return cursor.fetchone()


def _client(user) -> Client:
    client = language_client("en")
    client.force_login(user)
    return client


def _api(user) -> Client:
    _token, key = tokens.create(user, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def _never_in_full(content: bytes | str) -> None:
    text = content.decode() if isinstance(content, bytes) else content
    for value in FULL.values():
        assert value not in text


@pytest.mark.django_db
def test_the_columns_hold_no_clear_text(world):
    _side, _users, household = world
    raw = _raw(household)
    for value in raw:
        for clear in (*FULL.values(), *SHOWN.values()):
            assert clear not in value
    assert raw[0].startswith("derived:aes-gcm:")
    fresh = Household.objects.get(pk=household.pk)
    assert fresh.id_number.reveal() == ID_NUMBER and str(fresh.id_number) == SHOWN["id_number"]


@pytest.mark.django_db
def test_pages_and_the_api_show_only_masked_values_and_the_history_too(world):
    _side, users, household = world
    village = users[Role.VILLAGE]
    client = _client(village)
    household.members = 5  # a change in the history, which the detail page shows
    household.id_number = personal.with_id_check("61088119800101123")
    household.save()
    pages = [
        reverse("registry:household_detail", args=[household.pk]),
        reverse("registry:household_list"),
        reverse("registry:household_edit", args=[household.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _never_in_full(response.content)
        assert b"610881198001011230" not in response.content
        assert b"610881********1230" in response.content, url
    api = _api(village)
    for url in ("/api/v1/registry/household/", f"/api/v1/registry/household/{household.pk}/"):
        response = api.get(url)
        assert response.status_code == 200
        _never_in_full(response.content)
        assert "id_number_hash" not in response.content.decode()
    assert response.json()["bank_account"] == SHOWN["bank_account"]


@pytest.mark.django_db
def test_an_export_is_masked_and_marked_and_re_imports_without_losing_a_value(world):
    _side, users, household = world
    officer = users[Role.TOWN]
    response = _client(officer).get(reverse("registry:household_export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    _never_in_full("".join(str(c.value) for row in book.worksheets[0].iter_rows() for c in row))
    assert book.properties.keywords == "Contains personal data (masked)"
    assert book.worksheets[0].oddHeader.center.text == "Contains personal data (masked)"
    outcome = importer.run(
        KINDS["households"], importer.from_bytes(response.content), officer, commit=True
    )
    assert outcome.ok, outcome.errors
    fresh = Household.objects.get(pk=household.pk)
    assert {name: getattr(fresh, name).reveal() for name in FULL} == FULL
    assert SecurityEvent.objects.filter(kind="export", details__contains="personal=masked").exists()


@pytest.mark.django_db
def test_a_masked_value_keeps_the_stored_one_through_the_page_and_the_api(world):
    _side, users, household = world
    village = users[Role.VILLAGE]
    edit = reverse("registry:household_edit", args=[household.pk])
    form = {
        "village": household.village_id,
        "group": household.group_id or "",
        "number": household.number,
        "head_name": "改名",
        "members": 4,
        **SHOWN,
    }
    response = _client(village).post(edit, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = Household.objects.get(pk=household.pk)
    assert fresh.head_name == "改名" and fresh.id_number.reveal() == ID_NUMBER
    response = _api(village).patch(
        f"/api/v1/registry/household/{household.pk}/",
        {"members": 5},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert Household.objects.get(pk=household.pk).bank_account.reveal() == ACCOUNT
    # A masked value that is not the row's own is refused at its field, by every door.
    response = _api(village).patch(
        f"/api/v1/registry/household/{household.pk}/",
        {"id_number": "110105********0000"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "id_number" in response.json()["errors"]
    response = _client(village).post(edit, {**form, "phone": "139****0000"})
    assert response.status_code == 400 and b"in full" in response.content


@pytest.mark.django_db
def test_a_new_full_value_is_checked_and_stored_sealed_with_its_lookup(world):
    _side, users, household = world
    village = users[Role.VILLAGE]
    response = _api(village).patch(
        f"/api/v1/registry/household/{household.pk}/",
        {"id_number": "110105194912310021"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "check digit" in str(response.json()["errors"])
    other = personal.with_id_check("61088119800101123")
    response = _api(village).patch(
        f"/api/v1/registry/household/{household.pk}/",
        {"id_number": other},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["id_number"] == "610881********1230"
    found = Household.objects.filter(personal.lookup(Household, "id_number", other))
    assert list(found) == [household]
    page = _client(village).get(reverse("registry:household_list"), {"q": other})
    assert page.context["table"].rows[0].record == household


@pytest.mark.django_db
def test_an_identity_number_excel_kept_as_a_number_is_refused_with_a_reason(world):
    side, users, _household = world
    workbook = load_workbook(io.BytesIO(workbooks.blank(KINDS["households"])))
    sheet = workbook.worksheets[0]
    sheet.append([side.village.code, "", "900", "张三", 3, 110105194912310020.0])
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = importer.run(
        KINDS["households"], importer.from_bytes(buffer.getvalue()), users[Role.TOWN], commit=False
    )
    assert not outcome.ok
    assert any("15 digits" in error.message for error in outcome.errors)


@pytest.mark.django_db
def test_reveal_needs_the_role_and_a_reason_and_is_recorded(world):
    _side, users, household = world
    url = reverse("registry:household_reveal", args=[household.pk, "id_number"])
    village = _client(users[Role.VILLAGE])
    response = village.get(url)
    assert response.status_code == 200
    _never_in_full(response.content)
    response = village.post(url, {"reason": ""})
    assert response.status_code == 200 and ID_NUMBER.encode() not in response.content
    response = village.post(url, {"reason": "发放补贴核对身份"})
    assert response.status_code == 200 and ID_NUMBER.encode() in response.content
    assert response["Cache-Control"] == "no-store"
    event = SecurityEvent.objects.get(kind="read.reveal")
    assert event.user_id == users[Role.VILLAGE].pk
    assert "reason=发放补贴核对身份" in event.details and "field=id_number" in event.details
    assert ID_NUMBER not in event.details
    detail = village.get(reverse("registry:household_detail", args=[household.pk]))
    assert url.encode() in detail.content
    for role in (Role.LEADER, Role.DEPARTMENT, Role.ENTERPRISE):
        client = _client(users[role])
        response = client.post(url, {"reason": "想看看而已"})
        assert response.status_code in (403, 404), role
        _never_in_full(response.content)
        if response.status_code == 403:  # sees the row, masked, with no way to reveal
            detail = client.get(reverse("registry:household_detail", args=[household.pk]))
            assert url.encode() not in detail.content
    assert SecurityEvent.objects.filter(kind="read.reveal").count() == 1
    assert village.get(url.replace("id_number", "head_name")).status_code == 404


@pytest.mark.django_db
def test_the_api_reveals_with_a_reason_in_scope_only(world):
    _side, users, household = world
    other = build_side("B").household
    api = _api(users[Role.VILLAGE])
    url = f"/api/v1/registry/household/{household.pk}/reveal/"
    response = api.post(url, {"field": "phone", "reason": ""}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = api.post(
        url, {"field": "phone", "reason": "电话回访"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json() == {"field": "phone", "value": PHONE}
    response = api.post(
        f"/api/v1/registry/household/{other.pk}/reveal/",
        {"field": "phone", "reason": "电话回访"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = _api(users[Role.LEADER]).post(
        url, {"field": "phone", "reason": "电话回访"}, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_keys_rotate_without_losing_a_value_or_a_lookup(world):
    _side, _users, household = world
    old = f"k1={_key(10)}"
    new = f"k2={_key(20)}"
    with override_settings(CUNQI_FIELD_KEYS=old, CUNQI_LOOKUP_KEY=_key(30)):
        personal.rotate()
        assert _raw(household)[0].startswith("k1:")
    with override_settings(CUNQI_FIELD_KEYS=f"{new},{old}", CUNQI_LOOKUP_KEY=_key(40)):
        assert Household.objects.get(pk=household.pk).id_number.reveal() == ID_NUMBER
        assert personal.key_census() == {"k1": 3}
        assert personal.rotate() == {"registry.Household": 1}
        assert personal.rotate() == {}  # nothing left to do
        assert all(value.startswith("k2:") for value in _raw(household)[:3])
    with override_settings(CUNQI_FIELD_KEYS=new, CUNQI_LOOKUP_KEY=_key(40)):
        fresh = Household.objects.get(pk=household.pk)
        assert {name: getattr(fresh, name).reveal() for name in FULL} == FULL
        assert (
            Household.objects.filter(personal.lookup(Household, "id_number", ID_NUMBER)).count()
            == 1
        )


@pytest.mark.django_db
def test_a_sealed_column_cannot_be_compared_with_a_value():
    assert Household.objects.filter(id_number="").count() == 0
    with pytest.raises(TypeError, match="sealed"):
        list(Household.objects.filter(id_number=ID_NUMBER))
    with pytest.raises(TypeError, match="sealed"):
        list(Household.objects.filter(id_number__startswith="110105"))
