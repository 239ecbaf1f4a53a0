from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cunqi.benefits import reconcile
from cunqi.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder into an empty database and the uploads folder, then check "
        "the row counts against the backup's manifest and reconcile the journal."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder, **options):
        try:
            differences = backup.restore(Path(folder))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        problems = [str(problem) for problem in reconcile.problems()]
        for line in differences + problems:
            self.stderr.write(line)
        if differences or problems:
            raise CommandError("the restored database differs from the backup")
        self.stdout.write("Restored: row counts match the backup and the journal reconciles.")
