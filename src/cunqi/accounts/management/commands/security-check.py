from django.core.management.base import BaseCommand, CommandError

from cunqi.accounts.level3 import findings


class Command(BaseCommand):
    help = (
        "List the application's protection level-3 requirements (GB/T 22239-2019) with "
        "their state in this deployment; exit non-zero on any gap."
    )

    def handle(self, *args: object, **options: object) -> None:
        found = findings()
        for finding in found:
            mark = "ok " if finding.met else "GAP"
            self.stdout.write(
                f"{mark}  {finding.clause:<10} {finding.requirement}\n"
                f"                 {finding.state}"
            )
        gaps = sum(1 for finding in found if not finding.met)
        if gaps:
            raise CommandError(f"{gaps} of {len(found)} requirements are not met.")
        self.stdout.write(self.style.SUCCESS(f"All {len(found)} requirements are met."))
