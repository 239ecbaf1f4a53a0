"""Sign-in throttling that stops guessing without locking an office out.

django-axes counts failures per lockout parameter and locks when the largest count
reaches one limit. Cunqi counts per account across every address (a guessed account is
locked wherever the guesses come from) and per address with a higher threshold (a whole
town office signs in from one address behind its NAT: one account guessed there must not
lock the others, many accounts guessed there must).
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class Throttle(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # One queryset per lockout parameter, in the settings' order: account, address.
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.CUNQI_LOGIN_FAILURES_PER_ADDRESS:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account
