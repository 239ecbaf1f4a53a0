from django.conf import settings
from django.test import Client


def language_client(language: str) -> Client:
    """A client that chose ``language`` with the language switch."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client
