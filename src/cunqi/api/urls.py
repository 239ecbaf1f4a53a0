from django.urls import path

from cunqi.api.api import build

api = build()


def _public(patterns: list):
    # The API answers 401 itself; the site's login redirect must not catch it.
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _public(pattern.url_patterns)
        else:
            pattern.callback.login_required = False
    return patterns


urlpatterns = [path("", api.urls)]
_public(urlpatterns[0].url_patterns)
