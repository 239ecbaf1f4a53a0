from datetime import date

from django.core.management.base import BaseCommand, CommandParser

from cunqi.supervision import services


class Command(BaseCommand):
    help = "Evaluate the red, yellow and green card rules (the scheduler runs it daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="evaluate as of this day")

    def handle(self, *args: object, **options: object) -> None:
        result = services.evaluate_cards(options["date"])
        self.stdout.write(
            f"{result.issued} cards issued, {result.updated} updated, "
            f"{result.resolved} no longer firing (to confirm), {result.lapsed} green lapsed."
        )
