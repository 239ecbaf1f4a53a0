"""Each role's home page: first what this person must do next, then what they answer
for. A village cadre or an enterprise contact sees the reports they owe, a town officer
the town's month and its queue, a leader the pairings they lead (包抓), the task force
and departments their queues and the programme's headline figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from cunqi.core.roles import CITY_WIDE_ROLES, Role
from cunqi.funds.selectors import disbursements_to_approve
from cunqi.pairing.models import Pairing
from cunqi.projects.models import Approval, ApprovalStep
from cunqi.supervision import rules
from cunqi.supervision.models import RuleSetting
from cunqi.supervision.selectors import work

SHOWN = 8  # rows of a queue shown on the home page; its list holds the rest


@dataclass(frozen=True)
class Queue:
    """Rows waiting for the user, the first ``SHOWN`` of them, and where all of them
    are listed."""

    rows: list
    count: int
    url: str

    @classmethod
    def of(cls, rows: QuerySet, url: str) -> Queue:
        return cls(list(rows[:SHOWN]), rows.count(), url)


@dataclass
class Home:
    reports_due: list[work.DueReport] = field(default_factory=list)
    to_review: Queue | None = None
    months: list[work.MonthProgress] = field(default_factory=list)
    cards: Queue | None = None
    action_items: Queue | None = None
    disbursements: Queue | None = None
    approvals: Queue | None = None
    led_pairings: list[work.LedPairing] | None = None
    instructions: Queue | None = None
    pairings: Queue | None = None
    city_wide: bool = False


def overdue_approvals(user: AbstractBaseUser, today: date) -> QuerySet:
    """Approval cases in ``user``'s scope with a step past its time limit."""
    late = ApprovalStep.objects.filter(due_on__lt=today).exclude(
        status=ApprovalStep.Status.APPROVED
    )
    return (
        Approval.objects.visible_to(user)
        .filter(completed_on__isnull=True, pk__in=late.values("approval"))
        .select_related("project")
        .order_by("applied_on", "pk")
    )


def home_for(user: AbstractBaseUser, today: date, urls: dict[str, str]) -> Home:
    """What ``user``'s home page shows today; ``urls`` are the lists behind each queue."""
    role = Role.TASKFORCE if user.is_superuser else user.role
    home = Home(city_wide=role in CITY_WIDE_ROLES)
    home.reports_due = work.reports_due(user, today)
    if role in (Role.TASKFORCE, Role.TOWN):
        home.to_review = Queue.of(work.reports_to_review(user), urls["to_review"])
    if role == Role.TOWN:
        due_day = RuleSetting.report_due_day()
        home.months = [
            work.month_progress(user, rules.last_due_month(today, due_day), due_day),
            work.month_progress(user, rules.open_month(today, due_day), due_day),
        ]
    # A leader follows the cards of their pairings there; a department is shown none.
    if role not in (Role.LEADER, Role.DEPARTMENT):
        home.cards = Queue.of(work.cards_to_act_on(user), urls["cards"])
    if role in (Role.TASKFORCE, Role.TOWN, Role.DEPARTMENT):
        home.action_items = Queue.of(work.open_action_items(user), urls["action_items"])
    if role in (Role.TASKFORCE, Role.DEPARTMENT):
        home.disbursements = Queue.of(disbursements_to_approve(user), urls["disbursements"])
        home.approvals = Queue.of(overdue_approvals(user, today), urls["approvals"])
    if role == Role.LEADER:
        home.led_pairings = work.led_pairings(user)
        home.instructions = Queue.of(work.instructions_given(user), urls["instructions_given"])
    if role in (Role.TOWN, Role.DEPARTMENT):
        home.instructions = Queue.of(work.instructions_to_answer(user), urls["instructions"])
    if not home.city_wide:
        pairings = (
            Pairing.objects.visible_to(user)
            .filter(status__in=Pairing.OPEN_STATUSES)
            .select_related("village__town", "enterprise", "leader")
            .order_by("village__town__name", "village__name")
        )
        home.pairings = Queue.of(pairings, urls["pairings"])
    return home
