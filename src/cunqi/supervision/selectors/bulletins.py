"""The monthly bulletin's figures (月通报), from the rows and the month.

A month's bulletin is made once its reports are due. Investment counts the months up to
the bulletin's; cards count those issued by the day after the reports were due and not
cleared by then. Reports count as they stand when the bulletin is made: only accepted
reports count, on time if first submitted by the due day, late otherwise; reports
awaiting review or returned for changes are named apart, and the rest were not
submitted. Pairing and project counts are the programme as it stands (the platform keeps
no month-by-month history of them).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cunqi.core import ratios
from cunqi.core.fields import ZERO
from cunqi.core.text import month_name
from cunqi.projects.models import Investment, Project
from cunqi.projects.selectors import project_towns
from cunqi.registry.models import Town, Zone
from cunqi.supervision import rules
from cunqi.supervision.headline import headline as programme_headline
from cunqi.supervision.models import Card, Instruction, MonthlyReport, RuleSetting
from cunqi.supervision.models.cards import RED_FIRST
from cunqi.supervision.models.instructions import INSTRUCTION_RELATED


@dataclass(frozen=True)
class Ranked:
    name: str
    planned: Decimal  # to the end of the month, yuan
    completed: Decimal
    month_completed: Decimal

    @property
    def rate(self) -> Decimal:
        return ratios.percent(self.completed, self.planned) or Decimal("0.0")


@dataclass(frozen=True)
class CardLine:
    colour: str
    colour_label: str
    subject: str
    town: str
    rule: str
    reason: str
    issued_on: date


@dataclass
class BulletinData:
    month: date
    number: int
    issued_on: date
    active_pairings: int
    pairings_with_leader: int
    projects_landed: int
    demonstration_projects: int
    planned_to_date: Decimal
    completed_to_date: Decimal
    completed_in_month: Decimal
    reports_expected: int
    reports_on_time: int  # accepted, first submitted by the due day
    reports_late: int  # accepted, submitted after it
    reports_awaiting_review: int
    reports_returned: int
    due_day: int
    # Below this share of planned investment a project gets a yellow card (None: no rule).
    yellow_below: Decimal | None = None
    zones: list[Ranked] = field(default_factory=list)
    towns: list[Ranked] = field(default_factory=list)
    cards: list[CardLine] = field(default_factory=list)
    # Leaders' instructions (督办): given and answered in the month, and those awaiting
    # their answer past the deadline on the day of issue (subject, unit, deadline).
    instructions_given: int = 0
    instructions_answered: int = 0
    instructions_overdue: list[tuple[str, str, date]] = field(default_factory=list)

    @property
    def title_month(self) -> str:
        """The month as the reader's language writes it: 2026年10月, October 2026."""
        return month_name(self.month)

    @property
    def completion_rate(self) -> Decimal:
        return Ranked("", self.planned_to_date, self.completed_to_date, ZERO).rate

    @property
    def reports_missing(self) -> int:
        """Reports expected and not submitted (drafts included)."""
        accounted = (
            self.reports_on_time
            + self.reports_late
            + self.reports_awaiting_review
            + self.reports_returned
        )
        return max(0, self.reports_expected - accounted)

    def cards_of(self, colour: Card.Colour) -> list[CardLine]:
        return [card for card in self.cards if card.colour == colour]


def as_of_date(month: date) -> date:
    """The day after the month's reports were due: the first on which its bulletin can
    be made, and the day its cards are counted on."""
    return rules.report_due_on(month, RuleSetting.report_due_day()) + timedelta(days=1)


def closed_month(today: date) -> date:
    """The latest month whose reports are due: the bulletin to make by default."""
    return rules.last_due_month(today, RuleSetting.report_due_day())


def month_end(month: date) -> date:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _ranked(rows: Iterable[Mapping], key: str, names: dict[int, str]) -> list[Ranked]:
    ranked = [
        Ranked(
            names[row[key]],
            row["planned"] or ZERO,
            row["completed"] or ZERO,
            row["month_completed"] or ZERO,
        )
        for row in rows
        if row[key] in names
    ]
    return sorted(ranked, key=lambda r: (-r.rate, -r.completed, r.name))


def compute(month: date, *, issued_on: date | None = None) -> BulletinData:
    """The bulletin's figures for ``month`` (its first day), issued on ``issued_on``
    (today unless given)."""
    headline = programme_headline(None)
    investments = Investment.objects.filter(month__lte=month)
    sums = {
        "planned": Sum("planned_amount"),
        "completed": Sum("completed_amount"),
        "month_completed": Sum("completed_amount", filter=Q(month=month)),
    }
    total = investments.aggregate(**sums)
    # A project counts for the town of its first village (as its cards do): summed by
    # project in the database, then by town here.
    project_town = project_towns(Project.objects.values("pk"))
    per_town: dict[int, dict] = {}
    for row in investments.values("project").annotate(**sums).order_by():
        town = project_town.get(row["project"])
        if town is None:
            continue
        totals = per_town.setdefault(
            town, {"town": town, "planned": ZERO, "completed": ZERO, "month_completed": ZERO}
        )
        for name in ("planned", "completed", "month_completed"):
            totals[name] += row[name] or ZERO
    town_rows = list(per_town.values())
    town_zone = dict(Town.objects.values_list("pk", "zone"))
    zone_totals: dict[int, dict] = {}
    for row in town_rows:
        zone = town_zone.get(row["town"])
        totals = zone_totals.setdefault(
            zone, {"zone": zone, "planned": ZERO, "completed": ZERO, "month_completed": ZERO}
        )
        for name in ("planned", "completed", "month_completed"):
            totals[name] += row[name] or ZERO

    due_day = RuleSetting.report_due_day()
    due_on = rules.report_due_on(month, due_day)
    as_of = as_of_date(month)
    reports = MonthlyReport.objects.filter(project__isnull=False, month=month)
    accepted = reports.filter(status=MonthlyReport.Status.ACCEPTED)
    expected = Project.objects.filter(status__in=rules.SUPERVISED).count()

    cards = (
        Card.objects.filter(issued_on__lte=as_of)
        .filter(Q(cleared_on__isnull=True) | Q(cleared_on__gt=as_of))
        .select_related("project", "pairing__village", "pairing__enterprise", "action_item", "town")
        .order_by(RED_FIRST, "town__name", "pk")
    )
    issued_on = issued_on or timezone.localdate()
    in_month = (month, month_end(month))
    overdue = (
        Instruction.objects.filter(status=Instruction.Status.OPEN, deadline__lt=issued_on)
        .select_related(*INSTRUCTION_RELATED)
        .order_by("deadline", "pk")
    )
    return BulletinData(
        month=month,
        number=month.month,
        issued_on=issued_on,
        active_pairings=headline.active_pairings,
        pairings_with_leader=headline.pairings_with_leader,
        projects_landed=headline.projects_landed,
        demonstration_projects=headline.demonstration_projects,
        planned_to_date=total["planned"] or ZERO,
        completed_to_date=total["completed"] or ZERO,
        completed_in_month=total["month_completed"] or ZERO,
        reports_expected=expected,
        reports_on_time=accepted.filter(submitted_at__date__lte=due_on).count(),
        reports_late=accepted.filter(submitted_at__date__gt=due_on).count(),
        reports_awaiting_review=reports.filter(status=MonthlyReport.Status.SUBMITTED).count(),
        reports_returned=reports.filter(status=MonthlyReport.Status.RETURNED).count(),
        due_day=due_day,
        yellow_below=RuleSetting.objects.get(rule=RuleSetting.Rule.INVESTMENT).yellow_below,
        zones=_ranked(zone_totals.values(), "zone", dict(Zone.objects.values_list("pk", "name"))),
        towns=_ranked(town_rows, "town", dict(Town.objects.values_list("pk", "name"))),
        cards=[
            CardLine(
                colour=card.colour,
                colour_label=card.get_colour_display(),
                subject=str(card.subject),
                town=str(card.town or _("City departments")),
                rule=card.get_rule_display(),
                reason=card.reason_text,
                issued_on=card.issued_on,
            )
            for card in cards
        ],
        instructions_given=Instruction.objects.filter(given_on__range=in_month).count(),
        instructions_answered=Instruction.objects.filter(answered_on__range=in_month).count(),
        instructions_overdue=[
            (str(row.subject), str(row.answer_town or row.answer_department), row.deadline)
            for row in overdue
        ],
    )
