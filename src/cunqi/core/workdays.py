"""The working-day calendar's exceptions, as time limits read them."""

from datetime import date, timedelta

from cunqi.core.models import CalendarDay


def exceptions_after(start: date, days: int) -> dict[date, bool]:
    """The holidays and worked weekend days after ``start``, far enough ahead for a limit
    of ``days`` working days (a holiday week lengthens it by a week at most)."""
    end = start + timedelta(days=days * 7 // 5 + 31)
    return dict(
        CalendarDay.objects.filter(day__gt=start, day__lte=end).values_list("day", "working")
    )
