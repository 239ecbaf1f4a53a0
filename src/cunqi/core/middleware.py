from collections.abc import Callable

import auditlog.middleware
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from cunqi.core.network import client_address


class LanguageMiddleware:
    """Simplified Chinese unless the user chose English with the language switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: many
    officials' machines send en-US, and the platform's default language is Chinese. API
    clients are programs, so for them an Accept-Language of en or zh is a choice.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path.startswith("/api/"):
            accepted = request.headers.get("Accept-Language", "").lower()
            chosen = "en" if accepted.startswith("en") else chosen
            chosen = "zh-hans" if accepted.startswith("zh") else chosen
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class AuditlogMiddleware(auditlog.middleware.AuditlogMiddleware):
    """django-auditlog's, recording the client's address as the platform determines it:
    its own reads the first X-Forwarded-For entry, which any client can forge."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest):
        return client_address(request)
