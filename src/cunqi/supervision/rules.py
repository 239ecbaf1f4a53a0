"""Red, yellow and green cards (红黄绿牌): the rules, over plain figures (no database).

Each rule looks at one subject (a project, a pairing, an action item's owner…) and
answers a ``Finding`` — the colour and the figures that explain it — or ``None`` when it
does not fire. Red and yellow rules fire on what is wrong; the green rule fires on what
the programme commends (a quarter on track). Reasons are a code and figures, so each
reader gets them in their own language. Thresholds come from the database (the task
force changes them) and are checked here too.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from cunqi.core import ratios
from cunqi.projects import lifecycle

# Projects that report monthly and whose investment is watched.
SUPERVISED = (lifecycle.BUILDING, lifecycle.OPERATING)


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


# The order a reader takes the colours in: what needs acting on first.
BY_URGENCY = (Colour.RED, Colour.YELLOW, Colour.GREEN)


class Reason(StrEnum):
    """Why a rule fired; each reader gets the sentence for it in their own language."""

    INVESTMENT_BEHIND = "investment_behind"
    REPORT_MISSING = "report_missing"
    REPORTS_MISSING = "reports_missing"
    REPORT_LATE = "report_late"
    NO_LEADER = "no_leader"
    ACTION_OVERDUE = "action_overdue"
    DOCUMENTS_OVERDUE = "documents_overdue"
    QUARTER_ON_TRACK = "quarter_on_track"


@dataclass(frozen=True)
class Finding:
    colour: Colour
    reason: Reason
    figures: dict = field(default_factory=dict)


class ThresholdsOutOfOrder(ValueError):
    """A red threshold that would fire before the yellow one."""


def check_thresholds(yellow_below: Decimal, red_below: Decimal) -> None:
    """Percent thresholds: red fires below ``red_below``, yellow below ``yellow_below``."""
    if not (0 <= red_below <= yellow_below <= 100):
        raise ThresholdsOutOfOrder(
            "thresholds must satisfy 0 ≤ red ≤ yellow ≤ 100 (percent of plan)"
        )


def investment_progress(
    completed: Decimal,
    planned_to_date: Decimal,
    yellow_below: Decimal = Decimal(90),
    red_below: Decimal = Decimal(60),
) -> Finding | None:
    """Investment completed against the plan up to now (nothing planned yet: no card)."""
    check_thresholds(yellow_below, red_below)
    if planned_to_date <= 0:
        return None
    percent = ratios.percent(completed, planned_to_date)
    figures = {
        "completed": str(completed),
        "planned": str(planned_to_date),
        "percent": str(percent),
    }
    if percent < red_below:
        return Finding(Colour.RED, Reason.INVESTMENT_BEHIND, figures)
    if percent < yellow_below:
        return Finding(Colour.YELLOW, Reason.INVESTMENT_BEHIND, figures)
    return None


@dataclass(frozen=True)
class ReportMonth:
    month: date  # first of the month reported on
    due_on: date
    submitted_on: date | None
    accepted: bool = False

    @property
    def on_time(self) -> bool:
        """Submitted by its due day and accepted by the reviewer."""
        return self.accepted and self.submitted_on is not None and self.submitted_on <= self.due_on


def report_timeliness(
    months: Sequence[ReportMonth], today: date, red_after_missing: int = 2
) -> Finding | None:
    """Monthly reports: red when the last ``red_after_missing`` due months are all
    missing; yellow when the last due month is missing or was submitted late."""
    due = sorted((m for m in months if m.due_on < today), key=lambda m: m.month)
    if not due:
        return None
    missing = 0
    for month in reversed(due):
        if month.submitted_on is not None:
            break
        missing += 1
    last = due[-1]
    if missing >= red_after_missing:
        return Finding(
            Colour.RED,
            Reason.REPORTS_MISSING,
            {"months": [m.month.strftime("%Y-%m") for m in due[-missing:]]},
        )
    if missing:
        return Finding(
            Colour.YELLOW,
            Reason.REPORT_MISSING,
            {"month": last.month.strftime("%Y-%m"), "due": last.due_on.isoformat()},
        )
    if last.submitted_on > last.due_on:
        return Finding(
            Colour.YELLOW,
            Reason.REPORT_LATE,
            {
                "month": last.month.strftime("%Y-%m"),
                "due": last.due_on.isoformat(),
                "submitted": last.submitted_on.isoformat(),
            },
        )
    return None


def quarter_on_track(
    months: Sequence[ReportMonth],
    completed: Decimal,
    planned: Decimal,
    green_from: Decimal = Decimal(100),
) -> Finding | None:
    """A green card (绿牌) for a quarter in which every month's report came by its due day
    and was accepted, and investment completed by the quarter's end reached ``green_from``
    percent of what was planned by then. A project with no plan is not judged."""
    if not months or planned <= 0 or not all(month.on_time for month in months):
        return None
    percent = ratios.percent(completed, planned)
    if percent < green_from:
        return None
    last = max(month.month for month in months)
    return Finding(
        Colour.GREEN,
        Reason.QUARTER_ON_TRACK,
        {"year": last.year, "quarter": (last.month - 1) // 3 + 1, "percent": str(percent)},
    )


def pairing_leader(has_leader: bool) -> Finding | None:
    """Every active pairing has a city leader (包抓领导)."""
    return None if has_leader else Finding(Colour.RED, Reason.NO_LEADER)


def action_item_overdue(deadline: date, today: date, *, done: bool) -> Finding | None:
    """An action item assigned by a joint meeting, not done by its deadline."""
    if done or deadline >= today:
        return None
    return Finding(
        Colour.YELLOW,
        Reason.ACTION_OVERDUE,
        {"deadline": deadline.isoformat(), "days": (today - deadline).days},
    )


def approval_documents_overdue(
    promised: Sequence[tuple[object, date]], today: date
) -> Finding | None:
    """Documents accepted as missing (容缺受理) and not supplied by their promised date:
    ``promised`` is (the document's name, promised date) for each one outstanding."""
    overdue = sorted(((on, name) for name, on in promised if on < today), key=lambda p: p[0])
    if not overdue:
        return None
    return Finding(
        Colour.RED,
        Reason.DOCUMENTS_OVERDUE,
        {
            "documents": [name for _on, name in overdue],
            "promised": overdue[0][0].isoformat(),
            "days": (today - overdue[0][0]).days,
        },
    )


def report_due_on(month: date, due_day: int) -> date:
    """The report on ``month`` is due on ``due_day`` of the next month (clamped to its
    last day)."""
    year, next_month = (month.year + 1, 1) if month.month == 12 else (month.year, month.month + 1)
    for day in range(min(due_day, 31), 27, -1):
        try:
            return date(year, next_month, day)
        except ValueError:
            continue
    return date(year, next_month, max(1, due_day))


def months_back(month: date, count: int) -> list[date]:
    """``month`` and the ``count - 1`` months before it, newest first."""
    months = []
    for _step in range(count):
        months.append(month)
        month = (
            date(month.year - 1, 12, 1)
            if month.month == 1
            else date(month.year, month.month - 1, 1)
        )
    return months


def last_closed_quarter(today: date, due_day: int) -> list[date]:
    """The three months, oldest first, of the latest quarter whose reports were all due
    before ``today``."""
    month = last_due_month(today, due_day)
    while month.month % 3:
        month = months_back(month, 2)[1]
    return months_back(month, 3)[::-1]


def last_due_month(today: date, due_day: int) -> date:
    """The latest month whose report was due before ``today``."""
    month = today.replace(day=1)
    while report_due_on(month, due_day) >= today:
        month = months_back(month, 2)[1]
    return month


def open_month(today: date, due_day: int) -> date:
    """The month whose report is due next, on or after ``today``."""
    month = last_due_month(today, due_day)
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)
