"""The annual evaluation's raw figures per town, pairing or enterprise, and its ranking."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, Sum
from django.utils import timezone

from cunqi.benefits.models import Employment
from cunqi.benefits.selectors import collective_incomes
from cunqi.core import ratios
from cunqi.pairing.models import Pairing
from cunqi.projects.models import Investment, Project
from cunqi.projects.selectors import project_towns
from cunqi.registry.models import Enterprise, Town, Village
from cunqi.supervision import evaluation, rules
from cunqi.supervision.models import (
    Card,
    EvaluationIndicator,
    MonthlyReport,
    RuleSetting,
)

if TYPE_CHECKING:
    from cunqi.supervision.models import EvaluationScheme


def _evaluation_subjects(level: str):
    """The subjects of ``level`` and how villages, projects and pairings map onto them.

    Returns (subjects by pk, village → subject pks, project → subject pks,
    pairing → subject pks, card's own subject field or None).
    """
    active = list(
        Pairing.objects.filter(status=Pairing.Status.ACTIVE).values_list(
            "pk", "village", "enterprise", "village__town"
        )
    )
    village_projects = defaultdict(set)
    for project, village in Project.villages.through.objects.values_list("project", "village"):
        village_projects[village].add(project)
    project_enterprises = defaultdict(set)
    for project, enterprise in Project.enterprises.through.objects.values_list(
        "project", "enterprise"
    ):
        project_enterprises[project].add(enterprise)
    village_subjects, project_subjects, pairing_subjects = (
        defaultdict(set),
        defaultdict(set),
        defaultdict(set),
    )
    if level == "town":
        subjects = Town.objects.select_related("zone").order_by("zone__name", "name").in_bulk()
        for village, town in Village.objects.values_list("pk", "town"):
            village_subjects[village].add(town)
        for project, town in project_towns(Project.objects.values("pk")).items():
            project_subjects[project].add(town)
        for pairing, _village, _enterprise, town in active:
            pairing_subjects[pairing].add(town)
        return subjects, village_subjects, project_subjects, pairing_subjects, "town_id"
    for pairing, village, enterprise, _town in active:
        subject = pairing if level == "pairing" else enterprise
        village_subjects[village].add(subject)
        pairing_subjects[pairing].add(subject)
        for project in village_projects[village]:
            if enterprise in project_enterprises[project]:
                project_subjects[project].add(subject)
    if level == "pairing":
        subjects = Pairing.objects.select_related("village__town__zone", "enterprise").in_bulk(
            pairing_subjects
        )
    else:
        subjects = Enterprise.objects.in_bulk({e for _p, _v, e, _t in active})
    return subjects, village_subjects, project_subjects, pairing_subjects, None


def evaluation_figures(year: int, level: str = "town") -> dict:
    """Each subject's raw indicator values for ``year``, from the rows: a town, a pairing
    or an enterprise gets what its villages, projects and pairings did."""

    start, end = date(year, 1, 1), date(year, 12, 31)
    subjects, village_subjects, project_subjects, pairing_subjects, card_field = (
        _evaluation_subjects(level)
    )

    def spread(totals: dict, keys: set, amount: Decimal) -> None:
        for key in keys:
            totals[key] += amount

    villages = defaultdict(int)
    for village_set in village_subjects.values():
        spread(villages, village_set, 1)
    # Each project against its own plan over its life up to the year's end: a project
    # that finished its investment in an earlier year scores in full, and one that did
    # more than planned does not make up for another that did less.
    investment = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for project, planned, completed in (
        Investment.objects.filter(month__lte=end)
        .values("project")
        .annotate(p=Sum("planned_amount"), c=Sum("completed_amount"))
        .values_list("project", "p", "c")
    ):
        planned, completed = planned or Decimal(0), completed or Decimal(0)
        for subject in project_subjects.get(project, ()):
            investment[subject][0] += planned
            investment[subject][1] += min(completed, planned)
    paired_villages = set(
        Pairing.objects.filter(status=Pairing.Status.ACTIVE).values_list("village", flat=True)
    )
    paired = defaultdict(int)
    for village in paired_villages:
        spread(paired, village_subjects.get(village, ()), 1)
    pairings = defaultdict(lambda: [0, 0])
    for pairing, leader in Pairing.objects.filter(status=Pairing.Status.ACTIVE).values_list(
        "pk", "leader"
    ):
        for subject in pairing_subjects.get(pairing, ()):
            pairings[subject][0] += 1
            pairings[subject][1] += leader is not None
    projects = defaultdict(int)
    for project in Project.objects.filter(status__in=rules.SUPERVISED).values_list("pk", flat=True):
        spread(projects, project_subjects.get(project, ()), 1)
    incomes = defaultdict(Decimal)
    for village, amount in collective_incomes(Village.objects.values("pk"), year).items():
        spread(incomes, village_subjects.get(village, ()), amount)
    jobs = defaultdict(int)
    for village in Employment.objects.filter(
        Q(end_month__isnull=True) | Q(end_month__gte=start), start_month__lte=end
    ).values_list("household__village", flat=True):
        spread(jobs, village_subjects.get(village, ()), 1)
    due_day = RuleSetting.report_due_day()
    reports = defaultdict(lambda: [0, 0])
    # Of the reports submitted, those accepted and first submitted by their due day.
    for project, month, at, status in MonthlyReport.objects.filter(
        month__gte=start, month__lte=end, submitted_at__isnull=False
    ).values_list("project", "month", "submitted_at", "status"):
        on_time = rules.ReportMonth(
            month,
            rules.report_due_on(month, due_day),
            timezone.localdate(at),
            accepted=status == MonthlyReport.Status.ACCEPTED,
        ).on_time
        for subject in project_subjects.get(project, ()):
            reports[subject][0] += 1
            reports[subject][1] += on_time
    cards = defaultdict(Decimal)
    # Red and yellow cards take points off; a green card commends and takes none.
    for town, project, pairing, colour in (
        Card.objects.filter(issued_on__gte=start, issued_on__lte=end)
        .exclude(colour=Card.Colour.GREEN)
        .values_list("town", "project", "pairing", "colour")
    ):
        weight = Decimal(1) if colour == Card.Colour.RED else Decimal("0.25")
        if card_field:
            cards[town] += weight
        else:
            owners = project_subjects.get(project, set()) | pairing_subjects.get(pairing, set())
            spread(cards, owners, weight)

    def percent(part: Decimal, whole: Decimal) -> Decimal:
        return ratios.percent(part, whole, places=None) or Decimal(0)

    figures = {}
    for pk, subject in subjects.items():
        count = villages[pk]
        figures[subject] = {
            "investment_rate": percent(investment[pk][1], investment[pk][0]),
            "pairing_coverage": percent(paired[pk], count),
            "leader_coverage": percent(pairings[pk][1], pairings[pk][0]),
            "projects_per_village": Decimal(projects[pk]) / count if count else Decimal(0),
            "collective_income": incomes[pk] / count if count else Decimal(0),
            "jobs_per_village": Decimal(jobs[pk]) / count if count else Decimal(0),
            "reports_on_time": percent(reports[pk][1], reports[pk][0]),
            "cards": cards[pk],
        }
    return figures


def evaluate(scheme: EvaluationScheme, level: str = "town") -> list:
    """The scheme's towns, pairings or enterprises, ranked and graded, each score
    explainable by indicator."""
    indicators = [
        evaluation.Indicator(i.code, EvaluationIndicator.KINDS[i.code], i.weight)
        for i in scheme.indicators.all()
    ]
    return evaluation.evaluate(
        evaluation_figures(scheme.year, level), indicators, scheme.thresholds()
    )
