"""Uploaded files, checked before they are kept and served only to users in scope.

A file is refused unless its size is within ``CUNQI_UPLOAD_MAX_MB``, its extension is on
the allow-list and its first bytes are what that extension promises (a renamed .exe is
not a PDF); Office files are zip archives and are opened only far enough to count their
entries and their uncompressed size, so a zip bomb is refused without being inflated.
Macro-enabled formats, and the legacy .doc and .xls that may hide macros, are refused.
The stored name is random; the user's name, sanitised, is kept beside it for the download.
"""

import uuid
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import File
from django.db.models import Model
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

ZIP = (b"PK\x03\x04",)
# Legacy Office files (OLE compound documents) may carry macros that nothing here can
# see into: they are refused with a way out (save as .docx or .xlsx).
LEGACY = {".doc": ".docx", ".xls": ".xlsx"}
# Extension → the signatures its content must start with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": ZIP,
    ".xlsx": ZIP,
}
ZIP_MAX_ENTRIES = 2_000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
NAME_MAX_LENGTH = 100


def max_bytes() -> int:
    return settings.CUNQI_UPLOAD_MAX_MB * 1024 * 1024


def allowed_extensions() -> str:
    return ", ".join(sorted(SIGNATURES))


def validate_upload(upload: File) -> None:
    """Refuse ``upload`` (a Django UploadedFile or File) unless it is safe to keep."""
    extension = PurePath(upload.name or "").suffix.lower()
    if extension in LEGACY:
        raise ValidationError(
            _(
                "Old Office files (%(extension)s) can carry hidden macros and are not "
                "accepted: save the file as %(modern)s and upload that."
            ),
            code="file_legacy",
            params={"extension": extension, "modern": LEGACY[extension]},
        )
    if extension not in SIGNATURES:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted; allowed: %(allowed)s."),
            code="file_type",
            params={"extension": extension or "?", "allowed": allowed_extensions()},
        )
    if upload.size > max_bytes():
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB."),
            code="file_size",
            params={
                "size": f"{upload.size / 1024 / 1024:.1f}",
                "limit": settings.CUNQI_UPLOAD_MAX_MB,
            },
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[extension]):
        raise ValidationError(
            _("The file's content is not a %(extension)s file."),
            code="file_content",
            params={"extension": extension},
        )
    if SIGNATURES[extension] == ZIP:
        _check_archive(upload)


def _check_archive(upload: File) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(
            _("The file is damaged and cannot be read."), code="file_damaged"
        ) from None
    finally:
        upload.seek(0)
    if len(entries) > ZIP_MAX_ENTRIES or sum(e.file_size for e in entries) > ZIP_MAX_UNCOMPRESSED:
        raise ValidationError(
            _("The file unpacks to more than the platform accepts."), code="file_bomb"
        )
    if any(e.filename.lower().endswith("vbaproject.bin") for e in entries):
        raise ValidationError(_("Files with macros are not accepted."), code="file_macro")


def clean_name(name: str) -> str:
    """The user's file name without any path, safe to show and to send back."""
    base = PurePath((name or "").replace("\\", "/")).name
    stem, suffix = PurePath(base).stem, PurePath(base).suffix.lower()
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # nothing usable was left of it
        stem = "file"
    return f"{stem[: NAME_MAX_LENGTH - len(suffix)]}{suffix}"


def upload_to(instance: Model, filename: str) -> str:
    """A random path under the model's folder: a user's name never reaches the disk."""
    extension = PurePath(filename).suffix.lower()
    folder = instance._meta.label_lower.replace(".", "/")
    return f"uploads/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"
