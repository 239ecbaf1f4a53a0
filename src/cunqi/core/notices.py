"""Who the ground tells, and of what: the task force, of a year the working-day calendar
does not know."""

from datetime import date

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cunqi.core import notifications
from cunqi.core.models import Notification
from cunqi.core.roles import Role
from cunqi.core.workdays import years_to_enter


def warn_of_missing_calendar(today: date | None = None) -> int:
    years = years_to_enter(today or timezone.localdate())
    officers = get_user_model().objects.filter(role=Role.TASKFORCE, is_active=True)
    url = reverse("core:calendarday_list")
    return notifications.send(
        notifications.Message(
            user, Notification.Kind.CALENDAR_MISSING, f"calendar:{year}", {"year": year}, url
        )
        for year in years
        for user in officers.values_list("pk", flat=True)
    )
