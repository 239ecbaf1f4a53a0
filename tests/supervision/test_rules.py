"""Card rules over plain figures: colours at the thresholds, reasons with the figures."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cunqi.supervision import rules
from cunqi.supervision.rules import Colour, ReportMonth


@pytest.mark.parametrize(
    ("completed", "colour"),
    [("59.9", Colour.RED), ("60", Colour.YELLOW), ("89.9", Colour.YELLOW), ("90", None)],
)
def test_investment_progress_thresholds(completed, colour):
    finding = rules.investment_progress(Decimal(completed), Decimal("100"))
    assert (finding.colour if finding else None) == colour
    if finding:
        assert finding.reason == "investment_behind"
        assert finding.figures["percent"] == str(Decimal(completed).quantize(Decimal("0.1")))


def test_nothing_planned_yet_is_no_card():
    assert rules.investment_progress(Decimal(0), Decimal(0)) is None


@given(st.decimals(0, 100, places=1), st.decimals(0, 100, places=1))
def test_thresholds_out_of_order_are_refused(yellow, red):
    if red > yellow:
        with pytest.raises(rules.ThresholdsOutOfOrder):
            rules.investment_progress(Decimal(1), Decimal(2), yellow, red)
    else:
        rules.investment_progress(Decimal(1), Decimal(2), yellow, red)


def month(m, submitted=None):
    first = date(2026, m, 1)
    return ReportMonth(first, rules.report_due_on(first, 10), submitted)


def test_reports_on_time_late_missing_and_missing_twice():
    today = date(2026, 6, 20)
    on_time = [month(3, date(2026, 4, 8)), month(4, date(2026, 5, 9)), month(5, date(2026, 6, 10))]
    assert rules.report_timeliness(on_time, today) is None
    late = [*on_time[:2], month(5, date(2026, 6, 11))]
    assert rules.report_timeliness(late, today).reason == "report_late"
    missing = [*on_time[:2], month(5)]
    finding = rules.report_timeliness(missing, today)
    assert (finding.colour, finding.reason) == (Colour.YELLOW, "report_missing")
    twice = [on_time[0], month(4), month(5)]
    finding = rules.report_timeliness(twice, today)
    assert (finding.colour, finding.figures["months"]) == (Colour.RED, ["2026-04", "2026-05"])
    # A month not yet due does not count.
    assert rules.report_timeliness([month(6)], today) is None


def test_due_day_is_clamped_to_the_end_of_a_short_month():
    assert rules.report_due_on(date(2026, 1, 1), 31) == date(2026, 2, 28)
    assert rules.report_due_on(date(2026, 12, 1), 10) == date(2027, 1, 10)


def test_pairing_leader_and_action_items():
    assert rules.pairing_leader(True) is None
    assert rules.pairing_leader(False).colour == Colour.RED
    today = date(2026, 6, 20)
    assert rules.action_item_overdue(date(2026, 6, 20), today, done=False) is None
    assert rules.action_item_overdue(date(2026, 6, 1), today, done=True) is None
    overdue = rules.action_item_overdue(date(2026, 6, 1), today, done=False)
    assert (overdue.colour, overdue.figures["days"]) == (Colour.YELLOW, 19)


def test_overdue_promised_documents_are_red_from_the_first_day_late():
    today = date(2026, 6, 20)
    assert rules.approval_documents_overdue([("a", today)], today) is None
    finding = rules.approval_documents_overdue(
        [("later", date(2026, 6, 18)), ("first", date(2026, 6, 1)), ("due", date(2026, 7, 1))],
        today,
    )
    assert finding.colour == rules.Colour.RED
    assert finding.figures == {
        "documents": ["first", "later"],
        "promised": "2026-06-01",
        "days": 19,
    }


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (date(2026, 12, 2), [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]),
        (date(2026, 10, 10), [date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]),
        (date(2026, 10, 11), [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]),
        (date(2026, 2, 1), [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1)]),
    ],
)
def test_the_last_closed_quarter_is_the_last_whose_every_report_was_due(today, quarter):
    assert rules.last_closed_quarter(today, due_day=10) == quarter


def _quarter(*, submitted_day=5, accepted=True):
    return [
        rules.ReportMonth(
            date(2026, month, 1),
            date(2026, month + 1, 10),
            date(2026, month + 1, submitted_day),
            accepted=accepted,
        )
        for month in (7, 8, 9)
    ]


def test_a_quarter_on_track_is_green_with_its_quarter_and_share_of_plan():
    finding = rules.quarter_on_track(_quarter(), Decimal(100), Decimal(100))
    assert finding == rules.Finding(
        rules.Colour.GREEN,
        rules.Reason.QUARTER_ON_TRACK,
        {"year": 2026, "quarter": 3, "percent": "100.0"},
    )


@pytest.mark.parametrize(
    ("months", "completed", "planned"),
    [
        (_quarter(submitted_day=11), Decimal(100), Decimal(100)),  # late
        (_quarter(accepted=False), Decimal(100), Decimal(100)),  # not accepted
        (_quarter(), Decimal(99), Decimal(100)),  # below plan
        (_quarter(), Decimal(0), Decimal(0)),  # nothing planned: not judged
        ([], Decimal(100), Decimal(100)),
    ],
)
def test_no_green_for_a_quarter_late_unaccepted_or_below_plan(months, completed, planned):
    assert rules.quarter_on_track(months, completed, planned) is None
