"""Imports through the pages and tasks: the same engine as the command line."""

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cunqi.exchange import importer
from cunqi.exchange.kinds import KINDS
from cunqi.exchange.models import ImportJob

# Files up to this size are checked while the user waits; larger ones by a task, with
# the page showing its progress.
CHECK_NOW_BYTES = 512 * 1024


def start(kind_code: str, upload, user, language: str) -> ImportJob:
    """Keep the upload and check it (now, or by a task for a large file)."""
    if kind_code not in KINDS:
        raise ValidationError({"kind": _("Choose what the file holds.")})
    importer.check_file(upload)
    job = ImportJob(
        user=user,
        kind=kind_code,
        file_name=upload.name[:100],
        language=language,
    )
    job.file.save(upload.name, upload, save=False)
    job.save()
    if upload.size <= CHECK_NOW_BYTES:
        run(job, commit=False)
    else:
        from cunqi.exchange.tasks import run_import

        transaction.on_commit(lambda: run_import.enqueue(job.pk, False))
    return job


@transaction.atomic
def request_commit(job: ImportJob) -> None:
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not locked.can_commit:
        raise ValidationError(_("Only a checked file without errors can be imported, once."))
    locked.status, locked.progress = ImportJob.Status.IMPORTING, 0
    locked.save(update_fields=["status", "progress"])
    if locked.file.size <= CHECK_NOW_BYTES:
        run(locked, commit=True)
    else:
        from cunqi.exchange.tasks import run_import

        transaction.on_commit(lambda: run_import.enqueue(locked.pk, True))


def _progress_key(job: ImportJob) -> str:
    return f"import-progress:{job.pk}"


def with_progress(job: ImportJob) -> ImportJob:
    """The job with how far its check or import has got, for its page. The figures are
    kept outside the database: the import's own transaction, open until the end, would
    hide them from every other connection (and SQLite has room for one writer only)."""
    if job.running and (live := caches["progress"].get(_progress_key(job))):
        job.rows, job.progress = live["rows"], live["progress"]
    return job


def run(job: ImportJob, commit: bool) -> ImportJob:
    """Check or import the job's file in its user's language and scope; store what came."""
    kind = KINDS[job.kind]
    total = job.rows  # known once the file has been checked
    key = _progress_key(job)

    def progress(done: int) -> None:
        figures = {"rows": total or done, "progress": min(99, 100 * done // total) if total else 0}
        caches["progress"].set(key, figures, timeout=24 * 3600)

    with translation.override(job.language):
        try:
            outcome = importer.run(
                kind, lambda: job.file.open("rb"), job.user, commit=commit, progress=progress
            )
        except importer.WrongFile as error:
            job.status, job.message = ImportJob.Status.FAILED, str(error)[:300]
            job.finished_at = timezone.now()
            job.save()
            return job
    job.rows, job.created, job.updated = outcome.rows, outcome.created, outcome.updated
    job.error_count = outcome.error_count
    job.errors = [[e.row, e.column, e.message] for e in outcome.errors]
    job.status = ImportJob.Status.IMPORTED if outcome.committed else ImportJob.Status.CHECKED
    job.progress = 100
    job.finished_at = timezone.now()
    job.save()
    caches["progress"].delete(key)
    return job
