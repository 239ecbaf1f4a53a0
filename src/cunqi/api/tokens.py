"""API tokens: made, looked up and revoked here only."""

import hashlib
import secrets
from typing import TYPE_CHECKING

from django.utils import timezone

from cunqi.accounts.models import ApiToken

if TYPE_CHECKING:
    from cunqi.accounts.models import User


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(user: "User", name: str) -> tuple[ApiToken, str]:
    """A new token and its key (the only time the key is known)."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, digest=_digest(key), prefix=key[:8])
    return token, key


def user_for(key: str):
    """The active user a key belongs to, or None; notes when the token was used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
