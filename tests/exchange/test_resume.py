"""Imports whose worker died are queued again; those still in hand are left alone."""

from datetime import timedelta

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cunqi.exchange import services
from cunqi.exchange.models import ImportJob
from cunqi.exchange.tasks import run_import
from tests import factories

pytestmark = pytest.mark.django_db


def claimed_import(minutes_ago: float) -> ImportJob:
    """A job being imported whose task a worker claimed ``minutes_ago``."""
    job = ImportJob(
        user=factories.UserFactory(role="taskforce"),
        kind="households",
        file_name="households.xlsx",
        status=ImportJob.Status.IMPORTING,
    )
    job.file.save("households.xlsx", ContentFile(b"PK"), save=False)
    job.save()
    run_import.enqueue(job.pk, True)
    DBTaskResult.objects.filter(task_path=services.TASK_PATH).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return job


def queued(job) -> int:
    return DBTaskResult.objects.filter(
        task_path=services.TASK_PATH,
        status=TaskResultStatus.READY,
        args_kwargs__args=[job.pk, True],
    ).count()


def test_an_import_left_running_by_a_dead_worker_is_queued_again_once(
    django_capture_on_commit_callbacks,
):
    job = claimed_import(minutes_ago=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_orphaned(timedelta(minutes=10)) == [job.pk]
    assert queued(job) == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_orphaned(timedelta(minutes=10)) == []
    assert queued(job) == 1


def test_a_task_claimed_moments_ago_is_left_alone():
    claimed_import(minutes_ago=1)
    assert services.resume_orphaned(timedelta(minutes=10)) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's session locks")
def test_a_slow_import_whose_worker_holds_its_lock_is_left_alone():
    job = claimed_import(minutes_ago=30)
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as worker:  # the live worker, in its own session
        worker.execute("SELECT pg_advisory_lock(%s, %s)", [services.JOB_LOCKS, job.pk])
        assert services.resume_orphaned(timedelta(minutes=10)) == []
    assert services.resume_orphaned(timedelta(minutes=10)) == [job.pk]
