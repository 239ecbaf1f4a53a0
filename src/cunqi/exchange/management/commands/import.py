from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunqi.accounts.models import User
from cunqi.exchange import importer
from cunqi.exchange.kinds import KINDS


class Command(BaseCommand):
    help = (
        "Check a filled template and print every error with its row and column (exit 1 when "
        "there is one); with --commit, import it all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--commit", action="store_true", help="write the rows")
        parser.add_argument(
            "--user",
            default=None,
            help="import as this user, within their scope (default: the first superuser)",
        )

    def handle(
        self, *args: object, kind: str, file: str, commit: bool, user: User, **options: object
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        account = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True).order_by("pk").first()
        )
        if account is None:
            raise CommandError("No such user: name one with --user")
        with path.open("rb") as handle:
            try:
                importer.check_file(File(handle, name=path.name))
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        try:
            outcome = importer.run(KINDS[kind], lambda: path.open("rb"), account, commit=commit)
        except importer.WrongFile as error:
            raise CommandError(str(error)) from None
        for error in outcome.errors:
            place = f"row {error.row}" + (f", {error.column}" if error.column else "")
            self.stdout.write(f"{place}: {error.message}")
        if outcome.error_count > len(outcome.errors):
            self.stdout.write(f"… and {outcome.error_count - len(outcome.errors)} more errors")
        verb = "imported" if outcome.committed else "would import"
        self.stdout.write(
            f"{outcome.rows} rows: {verb} {outcome.created} new, {outcome.updated} changed; "
            f"{outcome.error_count} errors"
        )
        if not outcome.ok:
            raise SystemExit(1)
