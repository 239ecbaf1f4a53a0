from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunqi.exchange import workbooks
from cunqi.exchange.kinds import KINDS


class Command(BaseCommand):
    help = "Write the blank Excel template of a kind (villages, households, …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--out", required=True, help="the .xlsx file to write")

    def handle(self, *args: object, kind: str, out: str, **options: object) -> None:
        path = Path(out)
        if not path.parent.exists():
            raise CommandError(f"{path.parent} does not exist")
        path.write_bytes(workbooks.blank(KINDS[kind]))
        self.stdout.write(f"{path}")
