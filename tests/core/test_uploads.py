"""Uploads are refused whole unless their size, type and content are safe."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cunqi.core import uploads

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("证明.pdf", PDF),
        ("photo.PNG", PNG),
        ("合同.docx", docx({"word/document.xml": b"<w:document/>"})),
    ],
)
def test_safe_files_pass(name, content):
    uploads.validate_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.exe", b"MZ\x90\x00", "file_type"),
        ("page.html", b"<html>", "file_type"),
        ("no-extension", PDF, "file_type"),
        ("renamed.pdf", b"MZ\x90\x00" + PDF, "file_content"),
        ("fake.docx", PDF, "file_content"),
        ("broken.xlsx", b"PK\x03\x04garbage", "file_damaged"),
        ("bomb.docx", docx({"a.xml": b"\x00" * (2 * 1024 * 1024)}), "file_bomb"),
        ("macros.docx", docx({"word/vbaProject.bin": b"x"}), "file_macro"),
    ],
)
def test_unsafe_files_are_refused_with_a_reason(name, content, code, monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_UNCOMPRESSED", 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        uploads.validate_upload(SimpleUploadedFile(name, content))
    assert refused.value.code == code


def test_a_file_above_the_limit_is_refused(settings):
    settings.CUNQI_UPLOAD_MAX_MB = 1
    with pytest.raises(ValidationError) as refused:
        uploads.validate_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024)))
    assert refused.value.code == "file_size"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\张三\\用地 预审.PDF", "用地_预审.pdf"),
        ("..pdf", "file.pdf"),
        ("<script>.png", "script.png"),
    ],
)
def test_names_are_cleaned(given, kept):
    assert uploads.clean_name(given) == kept


def test_legacy_office_files_are_refused_with_a_way_out():
    from django.utils import translation

    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64
    for name, modern in (("报告.doc", ".docx"), ("台账.xls", ".xlsx")):
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            uploads.validate_upload(SimpleUploadedFile(name, ole))
        assert refused.value.code == "file_legacy" and modern in " ".join(refused.value.messages)
