from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser

from cunqi.exchange import services


class Command(BaseCommand):
    help = (
        "Queue again the Excel checks and imports whose task worker died mid-task "
        "(cron: every 10 minutes). On PostgreSQL a job is resumed only once its worker's "
        "lock is gone; on SQLite, by age alone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=10,
            metavar="MINUTES",
            help="leave tasks started less than this long ago alone (default 10)",
        )

    def handle(self, *args: object, older_than: float, **options: object) -> None:
        resumed = services.resume_orphaned(timedelta(minutes=older_than))
        for job in resumed:
            self.stdout.write(f"Import job {job} queued again.")
        if not resumed:
            self.stdout.write("No import was left behind by a worker.")
