from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunqi.core import audit
from cunqi.core.security import log_event


class Command(BaseCommand):
    help = (
        "Move the audit trail's security events older than CUNQI_AUDIT_RETENTION_DAYS (at "
        "least 180) to a signed file in FOLDER; or, with --verify, check such a file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", nargs="?", help="where the archive file goes")
        parser.add_argument("--verify", metavar="FILE", help="check an archive file's signature")

    def handle(
        self, *args: object, folder: str | None, verify: str | None, **options: object
    ) -> None:
        if verify:
            good, count = audit.verify(Path(verify))
            if not good:
                raise CommandError(f"{verify}: the signature does not match; the file was changed")
            self.stdout.write(f"{verify}: signature good, {count} events.")
            return
        if not folder:
            raise CommandError("Name the folder for the archive, or --verify FILE.")
        done = audit.archive(Path(folder))
        if done.path is None:
            self.stdout.write(
                f"No event older than {done.before:%Y-%m-%d %H:%M}: nothing to archive."
            )
            return
        log_event("audit.archive", file=done.path, events=done.count)
        self.stdout.write(
            f"Moved {done.count} events older than {done.before:%Y-%m-%d} to {done.path}."
        )
