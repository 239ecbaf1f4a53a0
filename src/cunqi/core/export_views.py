"""The page of a list's export written by a task, and its file: its user's alone."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from cunqi.core.models import ExportJob
from cunqi.core.views import job_page


def _own(request: HttpRequest, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob.objects.filter(user=request.user), pk=pk)


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own(request, pk)
    model = apps.get_model(job.model)
    context = {
        "job": job,
        "list_name": model._meta.verbose_name_plural,
        "list_url": f"{reverse(model.url_name('list'))}?{job.query}",
    }
    return job_page(request, "core/export_job.html", context, running=job.running)


@login_required
def export_file(request: HttpRequest, pk: int) -> FileResponse:
    job = _own(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)
