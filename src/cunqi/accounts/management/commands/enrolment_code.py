from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunqi.accounts import services
from cunqi.accounts.models import User


class Command(BaseCommand):
    help = (
        "Issue a one-time enrolment code with which an account binds its authenticator app "
        "(printed once; an earlier unused code stops working). --reset first unbinds the "
        "account's app and recovery codes, for a lost phone."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true")

    def handle(self, *args: object, username: str, reset: bool, **options: object) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is named {username!r}.")
        if reset:
            services.reset_second_factor(user, by=None)
        self.stdout.write(services.issue_enrolment_code(user, by=None))
