"""The periodic jobs run without cron: each app's declared tasks, enqueued by the
scheduler when due and run by the task workers."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from cunqi.core import declarations
from cunqi.core.models import Notification
from cunqi.core.roles import Role
from cunqi.core.scheduler import schedule
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_every_periodic_job_is_a_task_the_scheduler_knows_when_to_run():
    jobs = declarations.periodic()
    assert {job.task for job in jobs} >= {
        "cunqi.supervision.tasks.evaluate_cards",
        "cunqi.supervision.tasks.notify_due",
        "cunqi.exchange.tasks.resume_imports",
        "cunqi.dashboard.snapshot.refresh_cockpit",
    }
    scheduler = schedule(BackgroundScheduler(timezone=SHANGHAI))
    assert len(scheduler.get_jobs()) == len(jobs)  # one job per task
    for job in jobs:
        assert isinstance(import_string(job.task), Task)
    evening = datetime(2026, 7, 7, 20, 0, tzinfo=SHANGHAI)
    reminders = scheduler.get_job("cunqi.supervision.tasks.notify_due")
    assert reminders.trigger.get_next_fire_time(None, evening) == datetime(
        2026, 7, 8, 7, 0, tzinfo=SHANGHAI
    )
    # make run starts it beside the web server and the worker.
    supervisord = Path(__file__).resolve().parents[2] / "deploy" / "supervisord.conf"
    assert "command=%(ENV_BIN)s/cunqi scheduler" in supervisord.read_text()


@pytest.mark.django_db
def test_a_due_reminder_is_sent_without_cron(today):
    today(date(2026, 7, 8))
    village = factories.VillageFactory()
    factories.ProjectFactory(villages=[village], status="building")
    cadre = factories.UserFactory(role=Role.VILLAGE, village=village)
    scheduler = schedule(BackgroundScheduler(timezone=SHANGHAI))
    job = scheduler.get_job("cunqi.supervision.tasks.notify_due")
    job.func(*job.args)  # what the scheduler does at 07:00: the task is queued
    assert not cadre.notifications.exists()
    # What a task worker does with it (its run loop closes connections between tasks,
    # which a test's transaction cannot take on PostgreSQL).
    queued = DBTaskResult.objects.get(task_path="cunqi.supervision.tasks.notify_due")
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    worker.run_task(queued)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    reminder = cadre.notifications.get(kind=Notification.Kind.REPORT_DUE)
    assert "2026年6月月报须于2026年7月10日前" in reminder.message
