from django.core.management.base import BaseCommand, CommandError

from cunqi.benefits import reconcile


class Command(BaseCommand):
    help = (
        "Replay the journal and compare every derived balance (entries, accounts, "
        "distributions' payouts, funds' running totals); exit 1 on any discrepancy."
    )

    def handle(self, *args: object, **options: object) -> None:
        found = reconcile.problems()
        for problem in found:
            self.stderr.write(str(problem))
        if found:
            raise CommandError(f"{len(found)} discrepancies")
        self.stdout.write("Reconciled: the journal and every balance derived from it agree.")
