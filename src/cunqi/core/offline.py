"""The service worker that keeps the site's shell and recent pages on a phone
(``service_worker.js``; the drafts and the outbox are ``static/cunqi/offline.js``). It is
served from the site's root, so that it may look after every page."""

from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

WORKER = Path(__file__).with_name("service_worker.js")


@login_not_required  # the browser fetches it for the sign-in page too
@never_cache  # a new worker reaches every phone on its next visit
def service_worker(request: HttpRequest) -> HttpResponse:
    return HttpResponse(WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
