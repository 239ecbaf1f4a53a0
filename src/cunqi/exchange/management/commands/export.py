from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunqi.core.security import log_event
from cunqi.exchange import workbooks
from cunqi.exchange.kinds import KINDS


class Command(BaseCommand):
    help = (
        "Export every row of a kind (or of all kinds) in its import template's layout, so "
        "that the files import unchanged into another deployment, in dependency order."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["all", *sorted(KINDS)])
        parser.add_argument("--out", required=True, help="the folder to write the .xlsx files to")

    def handle(self, *args: object, kind: str, out: str, **options: object) -> None:
        folder = Path(out)
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        # KINDS is in dependency order (villages before households…): number the files so.
        for position, (code, found) in enumerate(KINDS.items(), start=1):
            if kind not in ("all", code):
                continue
            path = folder / f"{position:02d}-{code}.xlsx"
            log_event("export", user=None, kind=code, via="command", file=path)
            path.write_bytes(
                workbooks.write(found, workbooks.export_rows(found, found.model.objects.all()))
            )
            self.stdout.write(str(path))
