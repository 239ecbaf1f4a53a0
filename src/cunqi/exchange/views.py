from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from cunqi.core.permissions import allows
from cunqi.core.roles import Role
from cunqi.core.security import log_event
from cunqi.core.views import job_page, workbook_response
from cunqi.exchange import services, workbooks
from cunqi.exchange.forms import UploadForm
from cunqi.exchange.kinds import KINDS
from cunqi.exchange.models import ImportJob

if TYPE_CHECKING:
    from cunqi.accounts.models import User


def _importable(user: User) -> list:
    return [
        kind
        for kind in KINDS.values()
        if allows(user, "create", kind.model) or allows(user, "edit", kind.model)
    ]


def _jobs(user: User):
    jobs = ImportJob.objects.all()
    return jobs if user.is_superuser or user.role == Role.TASKFORCE else jobs.filter(user=user)


def index(request: HttpRequest) -> HttpResponse:
    """Templates to download, a filled one to upload, and the user's recent imports."""
    importable = _importable(request.user)
    form = UploadForm(kinds=importable)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, kinds=importable)
        if form.is_valid():
            try:
                job = services.start(
                    form.cleaned_data["kind"],
                    form.cleaned_data["file"],
                    request.user,
                    get_language(),
                )
                return redirect("exchange:job", pk=job.pk)
            except ValidationError as error:
                form.add_error("file", error)
    return render(
        request,
        "exchange/index.html",
        {
            "kinds": KINDS.values(),
            "form": form if importable else None,
            "jobs": ImportJob.objects.filter(user=request.user)[:10],
        },
        status=400 if form.errors else 200,
    )


def template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    return workbook_response(workbooks.blank(KINDS[kind]), f"{kind}-template.xlsx")


def export(request: HttpRequest, kind: str) -> HttpResponse:
    """Every row of the kind the user may see, in the template's layout (re-importable)."""
    if kind not in KINDS:
        raise Http404
    found = KINDS[kind]
    log_event("export", request, kind=kind)
    rows = workbooks.export_rows(found, found.model.objects.visible_to(request.user))
    content = workbooks.write(found, rows, example=False)
    return workbook_response(content, f"{kind}-{timezone.localdate():%Y%m%d}.xlsx")


def job(request: HttpRequest, pk: int) -> HttpResponse:
    found = services.with_progress(get_object_or_404(_jobs(request.user), pk=pk))
    context = {"job": found, "kind": KINDS.get(found.kind)}
    return job_page(request, "exchange/job.html", context, running=found.running)


@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(_jobs(request.user), pk=pk)
    if found.user_id != request.user.pk:
        raise PermissionDenied  # a checked file is imported by the one who uploaded it
    try:
        services.request_commit(found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("exchange:job", pk=found.pk)
