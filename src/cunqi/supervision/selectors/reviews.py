"""A quarter in figures for its review (季点评): what the accepted reports, the cards and
the investment rows say of a zone, a town or a pairing, before the reviewer scores it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from cunqi.core.fields import ZERO
from cunqi.projects.models import Investment, Project
from cunqi.supervision import rules
from cunqi.supervision.models import Card, MonthlyReport, RuleSetting
from cunqi.supervision.reviews import Figures
from cunqi.supervision.selectors.bulletins import month_end

if TYPE_CHECKING:
    from cunqi.pairing.models import Pairing
    from cunqi.registry.models import Town, Zone


def quarter_months(year: int, quarter: int) -> list[date]:
    return [date(year, 3 * (quarter - 1) + offset, 1) for offset in (1, 2, 3)]


def _projects(zone: Zone | None, town: Town | None, pairing: Pairing | None) -> QuerySet:
    supervised = Project.objects.filter(status__in=rules.SUPERVISED)
    if zone is not None:
        return supervised.filter(villages__town__zone=zone).distinct()
    if town is not None:
        return supervised.filter(villages__town=town).distinct()
    return supervised.filter(villages=pairing.village_id, enterprises=pairing.enterprise_id)


def _cards(zone: Zone | None, town: Town | None, pairing: Pairing | None) -> QuerySet:
    if zone is not None:
        return Card.objects.filter(town__zone=zone)
    if town is not None:
        return Card.objects.filter(town=town)
    return Card.objects.filter(
        Q(pairing=pairing) | Q(project__in=_projects(None, None, pairing).values("pk"))
    )


def quarter_figures(
    year: int,
    quarter: int,
    *,
    zone: Zone | None = None,
    town: Town | None = None,
    pairing: Pairing | None = None,
) -> Figures:
    months = quarter_months(year, quarter)
    due_day = RuleSetting.report_due_day()
    today = timezone.localdate()
    projects = list(_projects(zone, town, pairing).values_list("pk", "start_date"))
    ids = [pk for pk, _start in projects]
    due = {
        (pk, month)
        for pk, start in projects
        for month in months
        if start is not None
        and start.replace(day=1) <= month
        and rules.report_due_on(month, due_day) < today
    }
    accepted = [
        rules.ReportMonth(month, rules.report_due_on(month, due_day), timezone.localdate(at), True)
        for project, month, at in MonthlyReport.objects.filter(
            project__in=ids, month__in=months, status=MonthlyReport.Status.ACCEPTED
        ).values_list("project", "month", "submitted_at")
        if (project, month) in due
    ]
    in_quarter = Q(month__gte=months[0])
    money = Investment.objects.filter(project__in=ids, month__lte=months[-1]).aggregate(
        planned=Sum("planned_amount", filter=in_quarter),
        completed=Sum("completed_amount", filter=in_quarter),
        planned_to_date=Sum("planned_amount"),
        completed_to_date=Sum("completed_amount"),
    )
    in_force = (
        _cards(zone, town, pairing)
        .filter(issued_on__lte=month_end(months[-1]))
        .exclude(cleared_on__lt=months[0])
        .values_list("colour")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return Figures(
        year=year,
        quarter=quarter,
        reports_due=len(due),
        reports_accepted=len(accepted),
        reports_on_time=sum(report.on_time for report in accepted),
        planned=money["planned"] or ZERO,
        completed=money["completed"] or ZERO,
        planned_to_date=money["planned_to_date"] or ZERO,
        completed_to_date=money["completed_to_date"] or ZERO,
        cards=dict(in_force),
    )
