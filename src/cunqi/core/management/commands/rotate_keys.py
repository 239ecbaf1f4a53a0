from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunqi.core import crypto, personal
from cunqi.core.security import log_event


class Command(BaseCommand):
    help = (
        "Seal every stored personal value (identity numbers, phones, bank accounts) under the "
        "first key of CUNQI_FIELD_KEYS and hash identity numbers with CUNQI_LOOKUP_KEY; the "
        "old keys must still be listed after it. With --census, only count the values each "
        "key seals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--census", action="store_true", help="count, change nothing")

    def handle(self, *args: object, census: bool, **options: object) -> None:
        try:
            ring = crypto.keyring()
            if census:
                counts = personal.key_census()
            else:
                rewritten = personal.rotate()
                log_event("keys.rotated", key=ring.current, rows=sum(rewritten.values()))
                for label, count in sorted(rewritten.items()):
                    self.stdout.write(f"{label}: {count} rows sealed again")
                counts = personal.key_census()
        except crypto.SealError as error:
            raise CommandError(str(error)) from None
        for key_id, count in sorted(counts.items()):
            mark = " (current)" if key_id == ring.current else ""
            self.stdout.write(f"key {key_id}{mark}: {count} values")
        if not counts:
            self.stdout.write("No personal value is stored.")
