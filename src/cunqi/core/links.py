"""Addresses of the pages that take no argument, reversed once per process: a page's
menu and its figure cards link to dozens of them, and reversing each on every render
took about a quarter of the cockpit's time (issue 22)."""

from functools import cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse


def url_of(name: str) -> str:
    """``reverse(name)`` for a URL name without arguments."""
    # The prefix is part of the key: a deployment under a sub-path sets it per request.
    return _reversed(name, get_script_prefix())


@cache
def _reversed(name: str, prefix: str) -> str:
    return reverse(name)


@receiver(setting_changed)
def _forget(setting: str, **kwargs: object) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
