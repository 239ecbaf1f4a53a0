"""The working-day calendar's exceptions, as time limits read them, and the years it does
not know yet (their limits count Monday to Friday only)."""

from collections.abc import Iterable
from datetime import date, timedelta

from cunqi.core.models import CalendarDay


def exceptions_after(start: date, days: int) -> dict[date, bool]:
    """The holidays and worked weekend days after ``start``, far enough ahead for a limit
    of ``days`` working days (a holiday week lengthens it by a week at most)."""
    end = start + timedelta(days=days * 7 // 5 + 31)
    return dict(
        CalendarDay.objects.filter(day__gt=start, day__lte=end).values_list("day", "working")
    )


# The State Council announces a year's holidays in the autumn before it: from this month
# on, a next year missing from the calendar is worth a warning.
NEXT_YEAR_EXPECTED_FROM_MONTH = 11


def years_without_holidays(years: Iterable[int]) -> list[int]:
    """Those of ``years`` with no day in the calendar (a year always has holidays)."""
    wanted = sorted(set(years))
    if not wanted:
        return []
    known = set(
        CalendarDay.objects.filter(day__year__gte=wanted[0], day__year__lte=wanted[-1])
        .values_list("day__year", flat=True)
        .distinct()
    )
    return [year for year in wanted if year not in known]


def years_to_enter(today: date) -> list[int]:
    """The years whose holidays the task force should have entered by ``today``."""
    years = [today.year]
    if today.month >= NEXT_YEAR_EXPECTED_FROM_MONTH:
        years.append(today.year + 1)
    return years_without_holidays(years)
