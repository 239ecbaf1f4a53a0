"""Imports through the pages and tasks: the same engine as the command line."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cunqi.core.doors import door
from cunqi.exchange import importer
from cunqi.exchange.kinds import KINDS
from cunqi.exchange.models import ImportJob

if TYPE_CHECKING:
    from django.core.files.base import File

    from cunqi.accounts.models import User

# Files up to this size are checked while the user waits; larger ones by a task, with
# the page showing its progress.
CHECK_NOW_BYTES = 512 * 1024


def _now(job: ImportJob) -> bool:
    """Whether the job is run while its user waits: a small file, whose rows are checked
    without a transaction (a door saving row by row needs one: always a task)."""
    return job.file.size <= CHECK_NOW_BYTES and not door(KINDS[job.kind].model).one_by_one


def start(kind_code: str, upload: File, user: User, language: str) -> ImportJob:
    """Keep the upload and check it (now, or by a task). Never called inside a
    transaction: the check must not hold the database's write lock while it reads."""
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
    if _now(job):
        run(job, commit=False)
    else:
        from cunqi.exchange.tasks import run_import

        run_import.enqueue(job.pk, False)
    return job


def request_commit(job: ImportJob) -> None:
    """Import a checked file (now, or by a task); its rows are written in one short
    transaction of their own."""
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if not locked.can_commit:
            raise ValidationError(_("Only a checked file without errors can be imported, once."))
        locked.status, locked.progress = ImportJob.Status.IMPORTING, 0
        locked.save(update_fields=["status", "progress"])
    if _now(locked):
        run(locked, commit=True)
    else:
        from cunqi.exchange.tasks import run_import

        run_import.enqueue(locked.pk, True)


def _progress_key(job: ImportJob) -> str:
    return f"import-progress:{job.pk}"


def with_progress(job: ImportJob) -> ImportJob:
    """The job with how far its check or import has got, for its page. The figures are
    kept outside the database: the import's own transaction, open until the end, would
    hide them from every other connection (and SQLite has room for one writer only)."""
    if job.running and (live := caches["progress"].get(_progress_key(job))):
        job.rows, job.progress = live["rows"], live["progress"]
    return job


def run(job: ImportJob, *, commit: bool) -> ImportJob:
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


# The namespace of the session locks an import task holds on its job (PostgreSQL).
JOB_LOCKS = 0x43554E51
TASK_PATH = "cunqi.exchange.tasks.run_import"


def _job_lock(function: str, job_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [JOB_LOCKS, job_id])
        return cursor.fetchone()[0] is not False


@contextmanager
def held(job_id: int):
    """While a task checks or imports a job, its worker holds a lock on the job (on
    PostgreSQL): a worker that dies loses the lock with its connection, which is how
    ``resume_orphaned`` tells a dead import from a slow one; a second run of the same job
    waits for the first."""
    if connection.vendor != "postgresql":
        yield
        return
    _job_lock("pg_advisory_lock", job_id)
    try:
        yield
    finally:
        _job_lock("pg_advisory_unlock", job_id)


def _abandoned(job_id: int, started_at: datetime | None, cutoff: datetime) -> bool:
    if started_at is None or started_at > cutoff:
        return False
    if connection.vendor != "postgresql":
        return True  # the embedded default: one machine, judged by age alone
    if not _job_lock("pg_try_advisory_lock", job_id):
        return False  # its worker is alive and holds it
    _job_lock("pg_advisory_unlock", job_id)
    return True


def resume_orphaned(older_than: timedelta = timedelta(minutes=10)) -> list[int]:
    """Queue again the checks and imports whose worker died mid-task (killed, machine
    lost): their task stays "running" for ever and the job "importing". An import is one
    transaction, so a dead one left nothing and runs again from the start. Returns the
    jobs queued again."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from cunqi.exchange.tasks import run_import

    now = timezone.now()
    resumed = []
    running = DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.RUNNING)
    for result in running:
        job_id, commit = result.args_kwargs["args"]
        job = ImportJob.objects.filter(pk=job_id).first()
        if not (job and job.running and _abandoned(job_id, result.started_at, now - older_than)):
            continue
        with transaction.atomic():
            given_up = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
            if given_up.update(status=TaskResultStatus.FAILED, finished_at=now):
                transaction.on_commit(
                    lambda job_id=job_id, commit=commit: run_import.enqueue(job_id, commit)
                )
                resumed.append(job_id)
    return resumed
