from django.core.management.base import BaseCommand

from cunqi.accounts.models import User
from cunqi.accounts.passwords import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo accounts, one per role."

    def handle(self, *args: object, **options: object) -> None:
        # Only accounts that still have the demo password: a deployment that changed them
        # must not see them advertised.
        users = [
            user
            for user in User.objects.exclude(role="").order_by("pk")
            if user.check_password(DEMO_PASSWORD)
        ]
        if not users:
            self.stdout.write("No demo accounts.")
            return
        self.stdout.write(
            f"Demo accounts (password for all: {DEMO_PASSWORD}; for demonstration only):"
        )
        for user in users:
            self.stdout.write(
                f"  {user.username:<12} {user.get_role_display():<20} {user.scope_label}"
            )
