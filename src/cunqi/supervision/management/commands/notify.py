from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from cunqi.supervision import notices


class Command(BaseCommand):
    help = "Remind users of monthly reports and action items coming due (run daily by cron)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="as of this day")
        parser.add_argument("--days", type=int, default=3, help="how many days ahead")

    def handle(self, *args: object, **options: object) -> None:
        sent = notices.notify_due(options["date"], options["days"])
        self.stdout.write(f"{sent} notifications sent.")
