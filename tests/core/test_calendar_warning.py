"""A year the working-day calendar does not know is said wherever it matters: on the
calendar's page, beside a time limit counted into it, and to the task force once."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cunqi.core import notices
from cunqi.core.models import CalendarDay, Notification
from cunqi.core.workdays import years_to_enter, years_without_holidays
from cunqi.projects.models import ApprovalStep
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side

pytestmark = pytest.mark.django_db


def test_the_seeded_years_are_known_and_the_next_one_is_expected_from_november():
    assert years_without_holidays([2025, 2026]) == []  # seeded from chinesecalendar
    assert years_without_holidays([2026, 2099]) == [2099]
    assert years_to_enter(date(2026, 10, 31)) == []
    CalendarDay.objects.filter(day__year=2027).delete()
    assert years_to_enter(date(2026, 11, 1)) == [2027]
    CalendarDay.objects.create(day=date(2027, 1, 1), name="元旦")
    assert years_to_enter(date(2026, 11, 1)) == []


def test_the_task_force_is_warned_once_and_the_calendar_page_says_it(monkeypatch):
    CalendarDay.objects.filter(day__year__gte=2027).delete()
    officer = factories.task_force()
    assert notices.warn_of_missing_calendar(date(2026, 12, 1)) == 1
    assert notices.warn_of_missing_calendar(date(2026, 12, 2)) == 0  # once a year
    with translation.override("en"):
        message = Notification.objects.get(user=officer).message
    assert message.startswith("The working-day calendar has no holidays for 2027")
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 1))
    client = language_client("en")
    client.force_login(officer)
    page = client.get(reverse("core:calendarday_list")).content.decode()
    assert "No holidays of 2027 are entered" in page


def test_a_time_limit_counted_into_an_unknown_year_says_so():
    side = build_side("A")
    step = ApprovalStep.objects.filter(approval=side.approval).first()
    step.status, step.accepted_on, step.due_on = "accepted", date(2099, 12, 28), date(2100, 1, 5)
    step.save()
    client = language_client("en")
    client.force_login(factories.task_force())
    page = client.get(side.approval.get_absolute_url()).content.decode()
    assert "Counted Monday to Friday in 2099、2100" in page
