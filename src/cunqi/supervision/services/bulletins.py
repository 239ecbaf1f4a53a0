"""A month's bulletin: requested through its door, written by a task."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cunqi.core.doors import Door, door, register
from cunqi.core.text import month_name
from cunqi.supervision import bulletin as documents
from cunqi.supervision.models import (
    Bulletin,
)
from cunqi.supervision.selectors.bulletins import as_of_date

if TYPE_CHECKING:
    from cunqi.accounts.models import User


@register
class BulletinDoor(Door):
    """A month's bulletin is requested, and requested again, never edited by hand: each
    request queues the task that writes its files."""

    model = Bulletin
    managed_fields = frozenset({"status", "message", "generated_at", "docx", "xlsx", "pdf"})

    def save(self, user: User, obj: Bulletin, values: Mapping):
        if obj is None and values.get("month"):
            obj = Bulletin.objects.filter(month=values["month"]).first()
        return super().save(user, obj, values)

    def prepare(self, row: Bulletin, user: User, *, previous: Bulletin | None) -> None:
        row.status, row.message = Bulletin.Status.QUEUED, ""

    def check(self, row: Bulletin, related: dict, user: User, *, previous: Bulletin | None) -> None:
        # A month whose reports are not yet due would report them all as missing.
        ready = as_of_date(row.month)
        if timezone.localdate() < ready:
            raise ValidationError(
                {
                    "month": _(
                        "The reports of %(month)s are due on %(due)s: its bulletin can be "
                        "made from %(ready)s."
                    )
                    % {
                        "month": month_name(row.month),
                        "due": date_format(ready - timedelta(days=1)),
                        "ready": date_format(ready),
                    }
                }
            )

    def write(
        self, row: Bulletin, related: dict, user: User, *, previous: Bulletin | None
    ) -> Bulletin:
        from cunqi.supervision.tasks import generate_bulletin

        row.save()
        transaction.on_commit(lambda: generate_bulletin.enqueue(row.pk))
        return row


def request_bulletin(month: date, language: str, user: User) -> Bulletin:
    """Queue (re)generating ``month``'s bulletin; the task writes its files."""
    return door(Bulletin).create(user, {"month": month, "language": language})


def generate_bulletin(bulletin: Bulletin) -> Bulletin:
    """Write the bulletin's three files; a failure is recorded on it for the task force
    and raised again, so that the task that ran it is marked failed."""
    bulletin.status = Bulletin.Status.RUNNING
    bulletin.save(update_fields=["status"])
    try:
        with translation.override(bulletin.language):
            written = documents.files(bulletin.month)
    except Exception as error:  # the reason is kept on the bulletin for the task force
        bulletin.status, bulletin.message = Bulletin.Status.FAILED, str(error)[:300]
        bulletin.save(update_fields=["status", "message"])
        raise
    with transaction.atomic():
        for extension, content in written.items():
            field = getattr(bulletin, extension)
            if field:
                field.delete(save=False)
            field.save(
                documents.file_name(bulletin.month, extension), ContentFile(content), save=False
            )
        bulletin.status, bulletin.message = Bulletin.Status.DONE, ""
        bulletin.generated_at = timezone.now()
        bulletin.save()
    return bulletin
