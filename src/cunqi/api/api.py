"""The REST API at /api/v1/: every model with pages, documented by OpenAPI 3.

Authentication is a per-user token (``Authorization: Bearer <key>``, made on the API
tokens page) or the browser's session (for the interactive docs; writes then need the
CSRF token). Either way the API acts as that user, with the role's permissions and the
scope's rows. Requests are throttled per user. Every refusal has the same shape:
``{"detail": …, "errors": {field: [messages]}}``.

A create (POST) may carry an ``Idempotency-Key`` header (any unique text, per user): sent
again with the same key and the same data, it answers as the first time and adds nothing;
the same key with different data is refused with 422.
"""

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import AuthRateThrottle

from cunqi.api import idempotency, tokens
from cunqi.api.resources import add_routes
from cunqi.core.security import log_event
from cunqi.core.views import REGISTRY


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = tokens.user_for(token)
        if user is not None:
            request.user = user  # what filters, forms and logs read
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser (interactive docs); ninja checks CSRF on writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


api = NinjaAPI(
    title="Cunqi API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[AuthRateThrottle(settings.CUNQI_API_RATE)],
    # The schema and the docs are for signed-in users, like every page.
    docs_decorator=login_required,
)


def _error(request: HttpRequest, status: int, detail: str, errors: dict | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(ValidationError)
def refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    if hasattr(error, "error_dict"):
        errors = {
            name if name != "__all__" else "non_field_errors": [
                str(m) for e in items for m in e.messages
            ]
            for name, items in error.error_dict.items()
        }
        return _error(request, 400, _("The data was refused."), errors)
    return _error(request, 400, " ".join(error.messages))


@api.exception_handler(SchemaError)
def malformed(request: HttpRequest, error: SchemaError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        place = ".".join(str(part) for part in item.get("loc", ())[1:]) or "non_field_errors"
        errors.setdefault(place, []).append(item.get("msg", ""))
    return _error(request, 400, _("The request is malformed."), errors)


@api.exception_handler(idempotency.KeyReused)
def key_reused(request: HttpRequest, error: idempotency.KeyReused) -> HttpResponse:
    return _error(request, 422, str(error))


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    log_event("permission.denied", request, user=request.auth)
    # A refusal for the row's state says why (as the page does); any other, the role.
    return _error(request, 403, str(error) or _("Your role may not do this."))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404):
    return _error(request, 404, _("Not found."))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return _error(request, 401, _("Give a valid API token."))


def build() -> NinjaAPI:
    """A router per app for the models registered by the pages' URLs."""
    for app in apps.get_app_configs():
        if app.name.startswith("cunqi.") and importlib.util.find_spec(f"{app.name}.urls"):
            importlib.import_module(f"{app.name}.urls")  # registers the app's models
    routers: dict[str, Router] = {}
    for model, views in sorted(REGISTRY.items(), key=lambda item: item[0]._meta.label):
        label = model._meta.app_label
        router = routers.get(label)
        if router is None:
            router = routers[label] = Router(tags=[label])
        add_routes(router, views)
    for label, router in routers.items():
        api.add_router(f"/{label}/", router)
    return api
