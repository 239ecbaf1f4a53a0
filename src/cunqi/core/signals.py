"""Sign-ins, sign-outs, lock-outs and the admin site's changes as security events
(``core.security``)."""

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.signals import setting_changed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from cunqi.core import crypto
from cunqi.core.security import log_event


@receiver(user_logged_in)
def _logged_in(
    sender: type, request: HttpRequest, user: AbstractBaseUser, **kwargs: object
) -> None:
    log_event("login.success", request, user)


@receiver(user_login_failed)
def _login_failed(
    sender: str, credentials: dict, request: HttpRequest | None = None, **kwargs: object
) -> None:
    # ``credentials`` holds the password masked by Django; only the username is logged.
    log_event("login.failure", request, username=credentials.get("username", ""))


@receiver(user_logged_out)
def _logged_out(
    sender: type, request: HttpRequest, user: AbstractBaseUser | None, **kwargs: object
) -> None:
    log_event("logout", request, user)


@receiver(user_locked_out)
def _locked_out(
    sender: str, request: HttpRequest, username: str, ip_address: str, **kwargs: object
) -> None:
    log_event("login.locked", request, username=username)


ADMIN_ACTIONS = {ADDITION: "admin.addition", CHANGE: "admin.change", DELETION: "admin.deletion"}


@receiver(post_save, sender=LogEntry)
def _administered(sender: type, instance: LogEntry, created: bool, **kwargs: object) -> None:
    # What changed, field by field, is in the change history (the accounts are audited).
    if created:
        log_event(
            ADMIN_ACTIONS[instance.action_flag],
            user=instance.user,
            model=f"{instance.content_type.app_label}.{instance.content_type.model}",
            pk=instance.object_id or "-",
            object=instance.object_repr,
        )


KEY_SETTINGS = frozenset(
    {"CUNQI_FIELD_CIPHER", "CUNQI_FIELD_KEYS", "CUNQI_LOOKUP_KEY", "SECRET_KEY"}
)


@receiver(setting_changed)
def _keys_changed(setting: str, **kwargs: object) -> None:
    if setting in KEY_SETTINGS:
        crypto.keyring.cache_clear()
