from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from cunqi.supervision import bulletin


class Command(BaseCommand):
    help = "Write a month's bulletin (.docx, .xlsx and .pdf) into a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", help="the month, as YYYY-MM")
        parser.add_argument("--out", type=Path, required=True, help="the folder to write into")
        parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])

    def handle(self, *args: object, **options: object) -> None:
        try:
            month = date.fromisoformat(f"{options['month']}-01")
        except ValueError:
            raise CommandError("Give the month as YYYY-MM, e.g. 2026-10.") from None
        if month > timezone.localdate().replace(day=1):
            raise CommandError("A bulletin cannot be for a month still to come.")
        options["out"].mkdir(parents=True, exist_ok=True)
        with translation.override(options["language"]):
            written = bulletin.files(month)
        for extension, content in written.items():
            path = options["out"] / bulletin.file_name(month, extension)
            path.write_bytes(content)
            self.stdout.write(str(path))
