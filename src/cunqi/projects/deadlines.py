"""Approval time limits are counted in working days: Monday to Friday, except the public
holidays and with the weekend days worked in their place (调休), as the calendar lists
them (``core.CalendarDay``)."""

from collections.abc import Mapping
from datetime import date, timedelta


def add_working_days(start: date, days: int, exceptions: Mapping[date, bool]) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted);
    ``exceptions`` maps a day to whether it is worked where that is not its weekday's
    rule (a holiday: False; a make-up working Saturday: True)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if exceptions.get(current, current.weekday() < 5):
            remaining -= 1
    return current
