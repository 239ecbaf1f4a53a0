"""What a user must do next in the monthly cycle, for their home page: the reports they
write that are due or came back, the reports waiting for their review, a month's reports
of their town, and the cards and action items they must act on. Everything is read
through the user's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Case, Count, Max, Q, QuerySet, When
from django.urls import reverse
from django.utils.http import urlencode

from cunqi.core.permissions import allows
from cunqi.core.roles import Role
from cunqi.pairing.models import Pairing
from cunqi.projects.models import Project
from cunqi.supervision import rules
from cunqi.supervision.models import ActionItem, Card, Instruction, MonthlyReport, RuleSetting
from cunqi.supervision.models.cards import RED_FIRST
from cunqi.supervision.models.instructions import INSTRUCTION_RELATED

DONE = (MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.ACCEPTED)


@dataclass(frozen=True)
class DueReport:
    """A month's report of one project that its writer must write, finish or correct."""

    project: Project
    month: date
    due_on: date
    report: MonthlyReport | None
    overdue: bool

    @property
    def status(self) -> str | None:
        return self.report.status if self.report else None

    @property
    def url(self) -> str:
        """The report, or its form with the project and the month filled in."""
        if self.report is not None:
            return self.report.get_absolute_url()
        query = urlencode({"project": self.project.pk, "month": f"{self.month:%Y-%m}"})
        return f"{reverse('supervision:monthlyreport_add')}?{query}"


def writes_reports(user: AbstractBaseUser) -> bool:
    """Whether ``user`` writes monthly reports for their own projects (the task force,
    which may write any, is not asked to)."""
    return user.role in MonthlyReport.edit_policy.create and allows(user, "create", MonthlyReport)


def reports_due(user: AbstractBaseUser, today: date) -> list[DueReport]:
    """The reports ``user`` writes that need them: last month's if it is missing or not
    yet submitted (overdue), the coming month's whatever its state, and any other report
    returned to them; overdue and returned first."""
    if not writes_reports(user):
        return []
    due_day = RuleSetting.report_due_day()
    last, coming = rules.last_due_month(today, due_day), rules.open_month(today, due_day)
    projects = list(
        Project.objects.editable_by(user).filter(status__in=rules.SUPERVISED).order_by("code")
    )
    reports = MonthlyReport.objects.editable_by(user).filter(project__isnull=False)
    current = {
        (report.project_id, report.month): report
        for report in reports.filter(project__in=projects, month__in=(last, coming))
    }
    due = []
    for project in projects:
        report = current.get((project.pk, last))
        if report is None or report.status not in DONE:
            due.append(DueReport(project, last, rules.report_due_on(last, due_day), report, True))
        report = current.get((project.pk, coming))
        due.append(DueReport(project, coming, rules.report_due_on(coming, due_day), report, False))
    shown = {row.report.pk for row in due if row.report is not None}
    for report in (
        reports.filter(status=MonthlyReport.Status.RETURNED)
        .exclude(pk__in=shown)
        .select_related("project")
    ):
        on = rules.report_due_on(report.month, due_day)
        due.append(DueReport(report.project, report.month, on, report, on < today))
    returned = MonthlyReport.Status.RETURNED
    return sorted(due, key=lambda row: (not row.overdue, row.status != returned, row.due_on))


def reports_to_review(user: AbstractBaseUser) -> QuerySet:
    """Submitted reports in ``user``'s scope that they may accept or return, oldest
    first."""
    if not allows(user, "review", MonthlyReport):
        return MonthlyReport.objects.none()
    return (
        MonthlyReport.objects.editable_by(user)
        .filter(status=MonthlyReport.Status.SUBMITTED)
        .select_related("project", "pairing__village", "pairing__enterprise")
        .order_by("submitted_at")
    )


@dataclass(frozen=True)
class MonthProgress:
    """Where a month's project reports stand in a user's scope."""

    month: date
    due_on: date
    expected: int
    submitted: int
    accepted: int
    returned: int
    missing: list[Project]

    @property
    def list_query(self) -> str:
        return urlencode({"month": self.month.isoformat(), "kind": "project"})


def month_progress(user: AbstractBaseUser, month: date, due_day: int) -> MonthProgress:
    """How many of the supervised projects in ``user``'s scope have reported on
    ``month`` (due on ``due_day`` of the next), and which have not."""
    projects = Project.objects.visible_to(user).filter(status__in=rules.SUPERVISED)
    reports = MonthlyReport.objects.visible_to(user).filter(project__in=projects, month=month)
    by_status = dict(reports.values_list("status").annotate(count=Count("pk")).order_by())
    reported = reports.filter(status__in=DONE).values("project")
    return MonthProgress(
        month,
        rules.report_due_on(month, due_day),
        expected=projects.count(),
        submitted=by_status.get(MonthlyReport.Status.SUBMITTED, 0),
        accepted=by_status.get(MonthlyReport.Status.ACCEPTED, 0),
        returned=by_status.get(MonthlyReport.Status.RETURNED, 0),
        missing=list(projects.exclude(pk__in=reported).order_by("code")),
    )


def cards_to_act_on(user: AbstractBaseUser) -> QuerySet:
    """Open red and yellow cards in ``user``'s scope, the most urgent first; for the task
    force also those whose rule no longer fires, which it confirms."""
    statuses = [Card.Status.OPEN]
    if user.is_superuser or user.role == Role.TASKFORCE:
        statuses.append(Card.Status.RESOLVED)
    return (
        Card.objects.visible_to(user)
        .filter(status__in=statuses, colour__in=(Card.Colour.RED, Card.Colour.YELLOW))
        .select_related("project", "pairing__village", "pairing__enterprise", "action_item")
        .order_by(RED_FIRST, "deadline", "-issued_on", "pk")
    )


def open_action_items(user: AbstractBaseUser) -> QuerySet:
    """Action items still open that ``user``'s town or department owns, by deadline."""
    items = ActionItem.objects.visible_to(user).filter(status=ActionItem.Status.OPEN)
    if user.role == Role.DEPARTMENT:
        items = items.filter(owner_department=user.department_id)
    return items.select_related("meeting").order_by("deadline", "pk")


@dataclass(frozen=True)
class LedPairing:
    """A pairing a city leader leads (包抓), as they follow it."""

    pairing: Pairing
    projects: int
    red_cards: int
    yellow_cards: int
    last_report: date | None  # the latest month reported on, by its projects or itself


def led_pairings(user: AbstractBaseUser) -> list[LedPairing]:
    """The pairings whose city leader is ``user``'s person, active ones first."""
    if getattr(user, "person_id", None) is None:
        return []
    pairings = list(
        Pairing.objects.visible_to(user)
        .filter(leader=user.person_id)
        .select_related("village__town", "enterprise")
        .order_by("status", "village__town__name", "village__name")
    )
    by_village = defaultdict(set)
    for project, village in Project.villages.through.objects.filter(
        village__in={pairing.village_id for pairing in pairings}
    ).values_list("project", "village"):
        by_village[village].add(project)
    by_enterprise = defaultdict(set)
    for project, enterprise in Project.enterprises.through.objects.filter(
        enterprise__in={pairing.enterprise_id for pairing in pairings}
    ).values_list("project", "enterprise"):
        by_enterprise[enterprise].add(project)
    projects = {
        pairing.pk: by_village[pairing.village_id] & by_enterprise[pairing.enterprise_id]
        for pairing in pairings
    }
    every_project = set().union(*projects.values())
    of_them = Q(pairing__in=[pairing.pk for pairing in pairings]) | Q(project__in=every_project)
    cards = defaultdict(list)
    for project, pairing, colour in (
        Card.objects.filter(of_them, status=Card.Status.OPEN)
        .exclude(colour=Card.Colour.GREEN)
        .values_list("project", "pairing", "colour")
    ):
        cards[("project", project) if project else ("pairing", pairing)].append(colour)
    reported = {
        ("project", project) if project else ("pairing", pairing): month
        for project, pairing, month in MonthlyReport.objects.filter(of_them, status__in=DONE)
        .values("project", "pairing")
        .annotate(last=Max("month"))
        .values_list("project", "pairing", "last")
    }
    led = []
    for pairing in pairings:
        keys = [("pairing", pairing.pk), *(("project", pk) for pk in projects[pairing.pk])]
        colours = [colour for key in keys for colour in cards[key]]
        months = [reported[key] for key in keys if key in reported]
        led.append(
            LedPairing(
                pairing,
                len(projects[pairing.pk]),
                colours.count(Card.Colour.RED),
                colours.count(Card.Colour.YELLOW),
                max(months, default=None),
            )
        )
    return led


def instructions_to_answer(user: AbstractBaseUser) -> QuerySet:
    """Leaders' instructions awaiting the answer of ``user``'s town or department."""
    unit = {Role.TOWN: "answer_town", Role.DEPARTMENT: "answer_department"}.get(user.role)
    if unit is None:
        return Instruction.objects.none()
    own = user.town_id if user.role == Role.TOWN else user.department_id
    return _instructions(
        Instruction.objects.visible_to(user).filter(status=Instruction.Status.OPEN, **{unit: own})
    ).order_by("deadline", "pk")


def instructions_given(user: AbstractBaseUser) -> QuerySet:
    """The leader's instructions not yet closed: answered ones, for them to close, first."""
    if getattr(user, "person_id", None) is None:
        return Instruction.objects.none()
    rows = Instruction.objects.filter(leader=user.person_id).exclude(
        status=Instruction.Status.CLOSED
    )
    answered_first = Case(When(status=Instruction.Status.ANSWERED, then=0), default=1)
    return _instructions(rows).order_by(answered_first, "deadline", "pk")


def _instructions(rows: QuerySet) -> QuerySet:
    return rows.select_related(*INSTRUCTION_RELATED)
