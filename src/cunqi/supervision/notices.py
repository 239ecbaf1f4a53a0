"""Who supervision tells, and of what: new cards to their town's officers, reports and
action items coming due to whoever must act."""

from collections import defaultdict
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from cunqi.accounts.models import User
from cunqi.core import notifications
from cunqi.core.models import Notification
from cunqi.core.roles import Role
from cunqi.projects.models import Project
from cunqi.supervision import rules
from cunqi.supervision.models import ActionItem, Card, Instruction, MonthlyReport, RuleSetting


def notify_new_cards(cards: list[Card]) -> None:
    """Tell each town's officers about the cards just issued in their town."""
    officers = defaultdict(list)
    for user, town in User.objects.filter(
        role=Role.TOWN, is_active=True, town__in={card.town_id for card in cards}
    ).values_list("pk", "town"):
        officers[town].append(user)
    notifications.send(
        notifications.Message(
            user,
            Notification.Kind.CARD_ISSUED,
            f"card:{card.pk}",
            {"colour": card.get_colour_display(), "subject": str(card.subject)},
            card.get_absolute_url(),
        )
        for card in cards
        for user in officers[card.town_id]
    )


def notify_reviewed(report: MonthlyReport) -> None:
    """Tell whoever submitted ``report`` that it was returned (with why) or accepted."""
    if report.submitted_by_id is None:
        return
    returned = report.status == MonthlyReport.Status.RETURNED
    notifications.send(
        [
            notifications.Message(
                report.submitted_by_id,
                Notification.Kind.REPORT_RETURNED
                if returned
                else Notification.Kind.REPORT_ACCEPTED,
                # A report may be returned more than once: each review is its own message.
                f"report:{report.pk}:{report.status}:{report.updated_at:%Y%m%d%H%M%S%f}",
                {
                    "subject": str(report.project or report.pairing),
                    "month": f"{report.month:%Y-%m}",
                    "comment": report.review_comment,
                },
                report.get_absolute_url(),
            )
        ]
    )


def notify_due(today: date | None = None, days_ahead: int = 3) -> int:
    """Remind whoever must act: reports due within ``days_ahead`` days and not submitted
    (the project's village and enterprise users), and action items due as soon (the
    owning town's officers). Run daily; each reminder goes once."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=days_ahead)
    messages = []
    setting = RuleSetting.objects.filter(rule=RuleSetting.Rule.REPORTS, enabled=True).first()
    if setting:
        month = rules.last_due_month(horizon + timedelta(days=1), setting.due_day)
        due = rules.report_due_on(month, setting.due_day)
        if today <= due <= horizon:
            submitted = MonthlyReport.objects.filter(
                project__isnull=False, month=month, submitted_at__isnull=False
            )
            waiting = Project.objects.filter(status__in=rules.SUPERVISED).exclude(
                pk__in=submitted.values("project")
            )
            links = Project.villages.through.objects.filter(project__in=waiting)
            village_projects = defaultdict(set)
            for project, village in links.values_list("project", "village"):
                village_projects[village].add(project)
            enterprise_projects = defaultdict(set)
            for project, enterprise in Project.enterprises.through.objects.filter(
                project__in=waiting
            ).values_list("project", "enterprise"):
                enterprise_projects[enterprise].add(project)
            names = dict(waiting.values_list("pk", "name"))
            for user, village, enterprise in User.objects.filter(
                is_active=True, role__in=(Role.VILLAGE, Role.ENTERPRISE)
            ).values_list("pk", "village", "enterprise"):
                for project in village_projects.get(village, set()) | enterprise_projects.get(
                    enterprise, set()
                ):
                    messages.append(
                        notifications.Message(
                            user,
                            Notification.Kind.REPORT_DUE,
                            f"report:{project}:{month:%Y-%m}",
                            {
                                "subject": names[project],
                                "month": f"{month:%Y-%m}",
                                "due": due.isoformat(),
                            },
                            reverse("supervision:monthlyreport_add")
                            + f"?project={project}&month={month:%Y-%m}",
                        )
                    )
    officers = defaultdict(list)
    for user, town in User.objects.filter(role=Role.TOWN, is_active=True).values_list("pk", "town"):
        officers[town].append(user)
    for item in ActionItem.objects.filter(
        status=ActionItem.Status.OPEN, deadline__gte=today, deadline__lte=horizon
    ):
        messages.extend(
            notifications.Message(
                user,
                Notification.Kind.ACTION_DUE,
                f"action:{item.pk}",
                {"subject": item.title, "due": item.deadline.isoformat()},
                item.get_absolute_url(),
            )
            for user in officers.get(item.owner_town_id, [])
        )
    return notifications.send(messages)


def notify_instruction(instruction: Instruction) -> None:
    """Tell the other side of an instruction that it moved: the unit that must answer
    when it is given, sent back or closed; the leader (and whoever wrote it for them)
    when it is answered."""
    Status = Instruction.Status
    if instruction.status == Status.ANSWERED:
        users = set(
            User.objects.filter(is_active=True, person=instruction.leader_id).values_list(
                "pk", flat=True
            )
        )
        users |= {instruction.given_by_id} - {None}
        kind = Notification.Kind.INSTRUCTION_ANSWERED
    else:
        unit = (
            User.objects.filter(role=Role.TOWN, town=instruction.answer_town_id)
            if instruction.answer_town_id
            else User.objects.filter(
                role=Role.DEPARTMENT, department=instruction.answer_department_id
            )
        )
        users = set(unit.filter(is_active=True).values_list("pk", flat=True))
        if instruction.status == Status.CLOSED:
            kind = Notification.Kind.INSTRUCTION_CLOSED
        elif instruction.answered_on:
            kind = Notification.Kind.INSTRUCTION_RETURNED
        else:
            kind = Notification.Kind.INSTRUCTION_GIVEN
    params = {
        "leader": str(instruction.leader),
        "subject": str(instruction.subject),
        "due": instruction.deadline.isoformat(),
        "comment": instruction.follow_up,
    }
    notifications.send(
        notifications.Message(
            user,
            kind,
            # Each step is its own message: an instruction may go back and forth.
            f"instr:{instruction.pk}:{kind}:{instruction.updated_at:%Y%m%d%H%M%S%f}",
            params,
            instruction.get_absolute_url(),
        )
        for user in sorted(users)
    )
