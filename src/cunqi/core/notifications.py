"""Telling users what needs them: one notification per user and subject, e-mailed too
where e-mail is configured (``CUNQI_NOTIFY_BY_EMAIL``)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme

from cunqi.core.models import Notification


@dataclass(frozen=True)
class Message:
    user_id: int
    kind: str
    key: str
    params: dict
    url: str = ""


def send(messages: Iterable[Message]) -> int:
    """Record the messages not yet sent to their users; returns how many are new."""
    rows = [
        Notification(user_id=m.user_id, kind=m.kind, key=m.key, params=m.params, url=m.url)
        for m in messages
    ]
    if not rows:
        return 0
    existing = set(
        Notification.objects.filter(
            user__in={row.user_id for row in rows}, key__in={row.key for row in rows}
        ).values_list("user", "kind", "key")
    )
    new = [row for row in rows if (row.user_id, row.kind, row.key) not in existing]
    Notification.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    if getattr(settings, "CUNQI_NOTIFY_BY_EMAIL", False):
        _email(new)
    return len(new)


def _email(rows: list[Notification]) -> None:
    emails = dict(
        get_user_model()
        .objects.filter(pk__in={row.user_id for row in rows}, is_active=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
    with translation.override(settings.LANGUAGE_CODE):
        mails = [
            ("Cunqi", row.message, None, [emails[row.user_id]])
            for row in rows
            if row.user_id in emails
        ]
    send_mass_mail(mails, fail_silently=True)


def inbox(request: HttpRequest) -> HttpResponse:
    """The signed-in user's notifications, newest first (their own, nobody else's)."""
    items = request.user.notifications.all()[:200]
    return render(request, "core/notifications.html", {"items": items})


def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one's notification read and go where it points."""
    item = get_object_or_404(Notification, pk=pk, user=request.user)
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    return redirect(
        item.url if url_has_allowed_host_and_scheme(item.url, None) else "notifications"
    )


def unread(request: HttpRequest) -> dict:
    """Context processor: the number on the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": user.notifications.filter(read_at__isnull=True).count()}
