from datetime import date

import pytest

from cunqi.core.workdays import exceptions_after
from cunqi.projects.deadlines import add_working_days


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 → Monday
        (date(2026, 11, 28), 5, date(2026, 12, 4)),  # from a Saturday
        (date(2026, 11, 23), 10, date(2026, 12, 7)),
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
    ],
)
def test_limits_count_working_days(start, days, due):
    assert add_working_days(start, days, {}) == due


def test_holidays_are_skipped_and_make_up_days_worked():
    national_day = {date(2026, 10, d): False for d in (1, 2, 5, 6, 7)}
    national_day[date(2026, 10, 10)] = True  # the Saturday worked in their place
    assert add_working_days(date(2026, 9, 30), 5, national_day) == date(2026, 10, 13)
    assert add_working_days(date(2026, 10, 8), 2, national_day) == date(2026, 10, 10)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 9, 30), 5, date(2026, 10, 13)),  # National Day, with 10 October worked
        (date(2026, 2, 13), 3, date(2026, 2, 25)),  # 14 February worked, 15–23 off
    ],
)
def test_the_seeded_calendar_knows_chinas_holidays(start, days, due):
    assert add_working_days(start, days, exceptions_after(start, days)) == due


@pytest.mark.django_db
def test_the_task_force_lists_a_day_only_where_it_breaks_the_weekday_rule():
    from django.core.exceptions import ValidationError

    from cunqi.core.doors import door
    from cunqi.core.models import CalendarDay
    from tests import factories

    user = factories.task_force()
    with pytest.raises(ValidationError) as refused:
        door(CalendarDay).create(user, {"day": date(2099, 5, 4), "working": True})  # a Monday
    assert "working" in refused.value.message_dict
    door(CalendarDay).create(user, {"day": date(2099, 5, 9), "working": True, "name": "调休"})
    assert CalendarDay.objects.get(day=date(2099, 5, 9)).working
