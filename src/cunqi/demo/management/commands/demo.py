from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunqi.dashboard import snapshot
from cunqi.demo import programme


class Command(BaseCommand):
    help = "Load the demo programme (5 zones, 90 pairings, 81 projects, 7.7亿元) into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Replace the domain data already there."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when data is already there.",
        )

    def handle(self, *args: object, force: bool, if_empty: bool, **options: object) -> None:
        if programme.is_loaded():
            if if_empty:
                self.stdout.write(
                    "The database already holds a programme: the demo is not loaded again."
                )
                return
            if not force:
                raise CommandError(
                    "The database is not empty. Use --force to replace its domain data."
                )
            try:
                programme.wipe()
            except programme.CannotWipe:
                raise CommandError(
                    "The database holds posted journal entries, which are never deleted. "
                    "Load the demo into a fresh database (e.g. remove var/cunqi.sqlite3)."
                ) from None
        built = programme.build()
        # The demo is written in bulk (no signals): recompute the cockpit now.
        snapshot.refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {built.pairings} pairings, {built.projects} projects, "
                f"{built.investments} investment rows."
            )
        )
