from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cunqi.accounts.models import User
from cunqi.projects import services


class Command(BaseCommand):
    help = (
        "Year end: move every entry of a year's plan that has not started to the next "
        "year's plan (未实施项目结转), each with a step on its timeline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="the plan year that ends (default: the current year)",
        )
        parser.add_argument(
            "--user",
            default=None,
            help="decide as this task-force user (default: the first superuser)",
        )

    def handle(self, *args: object, year: int | None, user: str | None, **options: object) -> None:
        account = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True).order_by("pk").first()
        )
        if account is None:
            raise CommandError("No such user: name one with --user")
        year = year or timezone.localdate().year
        moved = services.roll_over(account, year)
        self.stdout.write(f"{len(moved)} entries of the {year} plan moved to {year + 1}")
