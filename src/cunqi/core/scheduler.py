"""The periodic jobs, run without cron.

Each app declares its jobs (``periodic`` on its AppConfig: a task and when). One process,
``cunqi scheduler`` (beside the web server and the workers under ``make run``, a unit of
its own in production), enqueues each task when it is due; the task workers run it, so a
long evaluation never holds the scheduler and a failure shows as a failed task. Run one
scheduler per deployment: two would enqueue every job twice (the jobs are idempotent,
but the work would be done twice).
"""

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.utils.module_loading import import_string

from cunqi.core import declarations


def enqueue(task_path: str) -> None:
    import_string(task_path).enqueue()


def schedule(scheduler: BaseScheduler) -> BaseScheduler:
    """Add every app's periodic jobs to ``scheduler``."""
    for job in declarations.periodic():
        scheduler.add_job(
            enqueue,
            CronTrigger.from_crontab(job.crontab, timezone=settings.TIME_ZONE),
            args=[job.task],
            id=job.task,
            name=job.why or job.task,
            # A run the process could not make on time (the machine asleep, the process
            # stalled) is made once when it can, within a day, not once per missed time.
            coalesce=True,
            misfire_grace_time=24 * 3600,
            max_instances=1,
            replace_existing=True,
        )
    return scheduler
