"""The Idempotency-Key header on the API's writes: a client that is unsure whether its
request arrived (a timeout, a dropped connection) sends it again with the same key and
gets the first answer, with nothing written twice. The same key with a different request
(another amount, another payee) is refused. Keys are per user."""

import hashlib
import json
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cunqi.api.models import IdempotentRequest

HEADER = "Idempotency-Key"


class _Canonical(DjangoJSONEncoder):
    """120.0 and 120.00 yuan are the same amount, so the same request."""

    def default(self, value: object):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return super().default(value)


class KeyReused(Exception):
    """The key was used before for a different request."""

    def __str__(self) -> str:
        return _("This Idempotency-Key was used for a different request.")


def fingerprint(request: HttpRequest, payload: dict, files: Iterable[UploadedFile] = ()) -> str:
    """The request as the API understood it: method, path, validated fields and the
    files' contents (so the same data sent differently formatted is the same request)."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(json.dumps(payload, cls=_Canonical, sort_keys=True).encode())
    for upload in files:
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
    return digest.hexdigest()


def once(request: HttpRequest, request_fingerprint: str, answer: Callable[[], tuple[int, dict]]):
    """``answer()`` (status, body) the first time a key is seen; the stored answer after.
    Without the header, simply ``answer()``. A refused request stores nothing, so it may
    be corrected and sent again with the same key."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return answer()
    with transaction.atomic():
        record, created = IdempotentRequest.objects.select_for_update().get_or_create(
            user=request.auth, key=key[:255], defaults={"fingerprint": request_fingerprint}
        )
        if record.fingerprint != request_fingerprint:
            raise KeyReused
        if not created and record.status is not None:
            return record.status, record.body
        status, body = answer()
        body = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
        record.status, record.body = status, body
        record.save(update_fields=["status", "body"])
    return status, body
