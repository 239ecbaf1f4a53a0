from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunqi.core import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder (see docs/deploy.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="a folder that does not exist yet")

    def handle(self, *args: object, folder: str, **options: object) -> None:
        try:
            manifest = backup.backup(Path(folder))
        except (backup.BackupError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"Backed up {rows} rows ({manifest['engine']}) and {manifest['uploads']} files "
            f"into {folder}."
        )
