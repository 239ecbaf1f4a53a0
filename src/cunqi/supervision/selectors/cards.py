"""What the card rules find today, subject by subject, from the rows."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, Sum
from django.utils import timezone

from cunqi.pairing.models import Pairing
from cunqi.projects.models import ApprovalDocument, Investment, Project
from cunqi.projects.selectors import project_towns
from cunqi.supervision import rules
from cunqi.supervision.models import (
    ActionItem,
    MonthlyReport,
    RuleSetting,
)


@dataclass(frozen=True)
class Subject:
    key: str
    town_id: int | None
    project_id: int | None = None
    pairing_id: int | None = None
    action_item_id: int | None = None


def findings(today: date) -> dict[tuple[str, str], tuple[rules.Finding, Subject]]:
    """Every enabled rule that fires today, by (rule, subject)."""
    config = {setting.rule: setting for setting in RuleSetting.objects.filter(enabled=True)}
    found: dict[tuple[str, str], tuple[rules.Finding, Subject]] = {}
    supervised = Project.objects.filter(status__in=rules.SUPERVISED)
    project_ids = list(supervised.values_list("pk", flat=True))
    towns = project_towns(project_ids)

    def add(rule: str, finding: rules.Finding | None, subject: Subject) -> None:
        if finding is not None:
            found[(rule, subject.key)] = (finding, subject)

    def project_subject(project: int) -> Subject | None:
        town = towns.get(project)
        return Subject(f"project:{project}", town, project_id=project) if town else None

    if setting := config.get(RuleSetting.Rule.INVESTMENT):
        this_month = today.replace(day=1)
        figures = (
            Investment.objects.filter(project__in=project_ids)
            .values("project")
            .annotate(
                planned=Sum("planned_amount", filter=Q(month__lte=this_month)),
                completed=Sum("completed_amount"),
            )
            .order_by()
        )
        for row in figures:
            if subject := project_subject(row["project"]):
                add(
                    setting.rule,
                    rules.investment_progress(
                        row["completed"] or 0,
                        row["planned"] or 0,
                        setting.yellow_below,
                        setting.red_below,
                    ),
                    subject,
                )

    if setting := config.get(RuleSetting.Rule.REPORTS):
        months = rules.months_back(
            rules.last_due_month(today, setting.due_day), setting.red_after_missing
        )
        submitted = defaultdict(dict)
        for project, month, at in MonthlyReport.objects.filter(
            project__in=project_ids, month__in=months, submitted_at__isnull=False
        ).values_list("project", "month", "submitted_at"):
            submitted[project][month] = timezone.localdate(at)
        for project, start in supervised.values_list("pk", "start_date"):
            subject = project_subject(project)
            first = start.replace(day=1) if start else None
            window = [m for m in months if first is None or m >= first]
            if subject and window:
                add(
                    setting.rule,
                    rules.report_timeliness(
                        [
                            rules.ReportMonth(
                                m,
                                rules.report_due_on(m, setting.due_day),
                                submitted[project].get(m),
                            )
                            for m in window
                        ],
                        today,
                        setting.red_after_missing,
                    ),
                    subject,
                )

    if setting := config.get(RuleSetting.Rule.ON_TRACK):
        due_day = RuleSetting.report_due_day()
        quarter = rules.last_closed_quarter(today, due_day)
        reports = defaultdict(dict)
        for project, month, at, status in MonthlyReport.objects.filter(
            project__in=project_ids, month__in=quarter, submitted_at__isnull=False
        ).values_list("project", "month", "submitted_at", "status"):
            reports[project][month] = rules.ReportMonth(
                month,
                rules.report_due_on(month, due_day),
                timezone.localdate(at),
                accepted=status == MonthlyReport.Status.ACCEPTED,
            )
        investment = {
            row["project"]: row
            for row in Investment.objects.filter(project__in=project_ids, month__lte=quarter[-1])
            .values("project")
            .annotate(planned=Sum("planned_amount"), completed=Sum("completed_amount"))
            .order_by()
        }
        # Only projects supervised for the whole quarter, with a report for each month.
        for project, start in supervised.values_list("pk", "start_date"):
            months = reports[project]
            if start is None or start.replace(day=1) > quarter[0] or len(months) < len(quarter):
                continue
            if (subject := project_subject(project)) and (row := investment.get(project)):
                add(
                    setting.rule,
                    rules.quarter_on_track(
                        list(months.values()),
                        row["completed"] or 0,
                        row["planned"] or 0,
                        setting.green_from,
                    ),
                    subject,
                )

    if setting := config.get(RuleSetting.Rule.LEADER):
        for pairing, town in Pairing.objects.filter(
            status=Pairing.Status.ACTIVE, leader__isnull=True
        ).values_list("pk", "village__town"):
            add(
                setting.rule,
                rules.pairing_leader(False),
                Subject(f"pairing:{pairing}", town, pairing_id=pairing),
            )

    if setting := config.get(RuleSetting.Rule.DOCUMENTS):
        promised = defaultdict(list)
        for project, name_zh, name_en, on in ApprovalDocument.objects.filter(
            status=ApprovalDocument.Status.PROMISED, promised_on__lt=today
        ).values_list("approval__project", "kind__name_zh", "kind__name_en", "promised_on"):
            promised[project].append(([name_zh, name_en], on))
        # Cases are mostly of projects not yet building, which the other rules skip.
        towns.update(project_towns(set(promised) - set(towns)))
        for project, documents in promised.items():
            if subject := project_subject(project):
                add(setting.rule, rules.approval_documents_overdue(documents, today), subject)

    if setting := config.get(RuleSetting.Rule.ACTIONS):
        for item, town, deadline in ActionItem.objects.filter(
            status=ActionItem.Status.OPEN, deadline__lt=today
        ).values_list("pk", "owner_town", "deadline"):
            add(
                setting.rule,
                rules.action_item_overdue(deadline, today, done=False),
                Subject(f"action:{item}", town, action_item_id=item),
            )
    return found
