"""How a list page's rows are written to Excel.

An app that knows a model's exchange layout (``cunqi.exchange``) registers a writer: the
list's export is then the import template's layout, re-importable and several times
faster than rendering the table cell by cell. Other models export the table's columns.

A list of more than ``WAIT_ROWS`` rows is not written while its user waits: an
``ExportJob`` is queued, a task writes the list as that user sees it (their scope, their
filters, their language), and its page shows when the file is ready, for them alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from importlib import import_module
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.utils import timezone, translation

from cunqi.core import xlsx

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from cunqi.core.models import ExportJob
    from cunqi.core.views import ObjectViews

# A list's rows are written while its user waits up to this many (about a second of
# work); more go to a task. No export holds more than ``LIMIT`` rows.
WAIT_ROWS = 20_000
LIMIT = 200_000

# (model, the rows) → the workbook, or None where the writer has no layout for the model.
Writer = Callable[[type[Model], QuerySet], bytes | None]
_writers: list[Writer] = []


def register_writer(writer: Writer) -> None:
    if writer not in _writers:
        _writers.append(writer)


def registered_workbook(model: type[Model], rows: QuerySet) -> bytes | None:
    for writer in _writers:
        if (content := writer(model, rows)) is not None:
            return content
    return None


def workbook(views: type[ObjectViews], rows: QuerySet, request: object) -> bytes:
    """The list ``rows`` as a workbook: the exchange's layout if the model has one, else
    the table's columns (``request`` is what the table renders for: a user)."""
    content = registered_workbook(views.model, rows.order_by("pk")[:LIMIT])
    if content is None:
        values = iter(views.table(rows[:LIMIT], request=request).as_values())
        header = next(values)
        content = xlsx.write_rows(str(views.model._meta.verbose_name_plural), header, values)
    return content


def file_name(model: type[Model]) -> str:
    return f"{model._meta.model_name}s-{timezone.localdate():%Y%m%d}.xlsx"


def start(user: AbstractBaseUser, model: type[Model], query: str) -> ExportJob:
    """Queue the export of the list of ``model`` that ``user`` sees with ``query``."""
    from cunqi.core.models import ExportJob
    from cunqi.core.tasks import write_export

    job = ExportJob.objects.create(
        user=user, model=model._meta.label, query=query, language=translation.get_language()
    )
    transaction.on_commit(lambda: write_export.enqueue(job.pk))
    return job


def write(job: ExportJob) -> None:
    """The task's work: the list as the job's user sees it now, written to the job's file;
    a user who may no longer export it gets a failed job, and no file."""
    from django.apps import apps

    from cunqi.core.permissions import allows
    from cunqi.core.views import REGISTRY, filtered_rows

    import_module(settings.ROOT_URLCONF)  # the pages register their views as it loads
    model = apps.get_model(job.model)
    with translation.override(job.language):
        job.status = job.Status.RUNNING
        job.save(update_fields=["status"])
        try:
            if not job.user.is_active or not allows(job.user, "export", model):
                job.status = job.Status.FAILED
                job.message = translation.gettext("You may no longer export this list.")
            else:
                views = REGISTRY[model]
                request = SimpleNamespace(user=job.user, GET=QueryDict(job.query))
                rows = filtered_rows(views, request)[1]
                job.rows = min(rows.count(), LIMIT)
                job.file_name = file_name(model)
                content = ContentFile(workbook(views, rows, request))
                job.file.save(job.file_name, content, save=False)
                job.status = job.Status.DONE
        except Exception:
            job.status = job.Status.FAILED
            job.message = translation.gettext("The export could not be written.")
            raise  # the task's own record keeps what went wrong
        finally:
            job.finished_at = timezone.now()
            job.save()


def purge() -> int:
    """Delete the exports older than ``CUNQI_EXPORT_KEEP_DAYS`` with their files; the
    number deleted. (Household data must not lie about in files nobody asked for again.)"""
    from cunqi.core.models import ExportJob

    cutoff = timezone.now() - timedelta(days=settings.CUNQI_EXPORT_KEEP_DAYS)
    old = list(ExportJob.objects.filter(started_at__lt=cutoff))
    for job in old:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[job.pk for job in old]).delete()
    return len(old)
