from datetime import date

import pytest

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
    assert add_working_days(start, days) == due
