"""A quarterly review's draft from the quarter's figures: suggested scores and a first
paragraph the reviewer corrects, then scores and comments on."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from cunqi.core import money, ratios
from cunqi.supervision.rules import BY_URGENCY, Colour

PROGRESS_POINTS = 40
WORK_POINTS = 30


@dataclass(frozen=True)
class Figures:
    """What the quarter's rows say (see ``selectors.reviews.quarter_figures``)."""

    year: int
    quarter: int
    reports_due: int
    reports_accepted: int
    reports_on_time: int
    planned: Decimal  # in the quarter
    completed: Decimal
    planned_to_date: Decimal  # from the start to the quarter's end
    completed_to_date: Decimal
    cards: dict[str, int]


@dataclass(frozen=True)
class Draft:
    progress_score: int | None  # of 40: investment against the plan to the quarter's end
    work_score: int | None  # of 30: reports due that were on time and accepted
    comments: str


def _points(share: Decimal | None, points: int) -> int | None:
    if share is None:
        return None
    return int((min(share, Decimal(100)) * points / 100).quantize(Decimal(1), ROUND_HALF_UP))


def draft(figures: Figures) -> Draft:
    """Scores in proportion to the figures (none where nothing was due or planned; the
    benefit linkage is the reviewer's to judge), and the figures in one sentence. Progress
    is measured to the quarter's end, as the annual evaluation measures it, so a project
    whose investment finished earlier scores full rather than nothing."""
    investment_share = ratios.percent(figures.completed_to_date, figures.planned_to_date)
    on_time_share = ratios.percent(figures.reports_on_time, figures.reports_due)
    labels = {Colour.RED: _("red"), Colour.YELLOW: _("yellow"), Colour.GREEN: _("green")}
    cards = "、".join(
        _("%(count)s %(colour)s")
        % {"count": figures.cards.get(colour, 0), "colour": labels[colour]}
        for colour in BY_URGENCY
    )
    comments = _(
        "Q%(quarter)s %(year)s in figures: %(due)s monthly reports due, %(accepted)s accepted, "
        "%(on_time)s of them on time; investment completed %(completed)s of %(planned)s "
        "planned for the quarter, and %(completed_to_date)s of %(planned_to_date)s to its end "
        "(%(share)s); cards in force: %(cards)s."
    ) % {
        "quarter": figures.quarter,
        "year": figures.year,
        "due": figures.reports_due,
        "accepted": figures.reports_accepted,
        "on_time": figures.reports_on_time,
        "completed": money.amount(figures.completed),
        "planned": money.amount(figures.planned),
        "completed_to_date": money.amount(figures.completed_to_date),
        "planned_to_date": money.amount(figures.planned_to_date),
        "share": f"{investment_share}%" if investment_share is not None else "—",
        "cards": cards,
    }
    return Draft(
        progress_score=_points(investment_share, PROGRESS_POINTS),
        work_score=_points(on_time_share, WORK_POINTS),
        comments=comments,
    )
