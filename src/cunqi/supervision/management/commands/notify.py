from datetime import date

from django.core.management.base import BaseCommand

from cunqi.supervision import services


class Command(BaseCommand):
    help = "Remind users of monthly reports and action items coming due (run daily by cron)."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, help="as of this day")
        parser.add_argument("--days", type=int, default=3, help="how many days ahead")

    def handle(self, *args, **options):
        sent = services.notify_due(options["date"], options["days"])
        self.stdout.write(f"{sent} notifications sent.")
