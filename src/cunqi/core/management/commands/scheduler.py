from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management.base import BaseCommand

from cunqi.core.scheduler import schedule


class Command(BaseCommand):
    help = "Enqueue the periodic jobs (card evaluation, reminders, …) when they are due."

    def handle(self, *args: object, **options: object) -> None:
        scheduler = schedule(BlockingScheduler(timezone=settings.TIME_ZONE))
        for job in scheduler.get_jobs():
            self.stdout.write(f"{job.name}: {job.trigger}")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
