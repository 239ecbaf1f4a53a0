"""Approval time limits are counted in working days (Monday to Friday).

Public holidays and the weekends swapped for them are announced yearly; a deployment that
needs them exact would list them here. Until then a limit may fall a day or two early
around a holiday, which errs on the side of the applicant being reminded sooner.
"""

from datetime import date, timedelta


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
