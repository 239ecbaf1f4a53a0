from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunqi.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup folder into an empty database and the uploads folder, then check "
        "the row counts against the backup's manifest and run the apps' checks (the "
        "journal's reconciliation)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")

    def handle(self, *args: object, folder: str, **options: object) -> None:
        try:
            differences = backup.restore(Path(folder))
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        failed = []
        if differences:
            failed.append("the row counts differ from the backup's manifest")
        for line in differences:
            self.stderr.write(line)
        for name, check in backup.RESTORE_CHECKS.items():
            problems = check()
            for problem in problems:
                self.stderr.write(f"{name}: {problem}")
            if problems:
                count = len(problems)
                failed.append(f"{name} found {count} problem{'' if count == 1 else 's'}")
        if failed:
            raise CommandError("Restored, but " + "; ".join(failed) + ".")
        checks = "".join(f" and {name} passes" for name in backup.RESTORE_CHECKS)
        self.stdout.write(f"Restored: row counts match the backup{checks}.")
