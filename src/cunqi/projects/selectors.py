from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from cunqi.core import ratios
from cunqi.core.fields import ZERO
from cunqi.projects.models import Project, ProjectApplication


def project_towns(project_ids: Iterable[int]) -> dict[int, int]:
    """A project's town where one town is needed (cards, the bulletin, the evaluation):
    its first village's."""
    towns: dict[int, int] = {}
    for project, town in (
        Project.villages.through.objects.filter(project__in=project_ids)
        .order_by("project", "village")
        .values_list("project", "village__town")
    ):
        towns.setdefault(project, town)
    return towns


@dataclass(frozen=True)
class InvestmentProgress:
    planned: Decimal
    completed: Decimal

    @property
    def completed_share(self) -> Decimal | None:
        """Completed as a percentage of the planned investment (one place), if planned."""
        return ratios.percent(self.completed, self.planned)


def investment_progress(project: Project) -> InvestmentProgress:
    completed = project.investments.aggregate(total=Sum("completed_amount"))["total"] or ZERO
    return InvestmentProgress(planned=project.planned_investment, completed=completed)


@dataclass(frozen=True)
class MonthInvestment:
    completed: Decimal  # in the month
    reported: bool  # the month's figure is an accepted report's
    to_date: InvestmentProgress  # planned and completed up to the month's end


def month_investment(project: Project, month: date) -> MonthInvestment:
    figures = project.investments.filter(month__lte=month).aggregate(
        completed=Sum("completed_amount", filter=Q(month=month)),
        reported=Count("pk", filter=Q(month=month, reported=True)),
        completed_to_date=Sum("completed_amount"),
        planned_to_date=Sum("planned_amount"),
    )
    return MonthInvestment(
        completed=figures["completed"] or ZERO,
        reported=bool(figures["reported"]),
        to_date=InvestmentProgress(
            planned=figures["planned_to_date"] or ZERO,
            completed=figures["completed_to_date"] or ZERO,
        ),
    )


def in_library(project: Project) -> bool:
    """Whether ``project`` came through the project library (it was started from an entry,
    which then cannot leave it)."""
    return ProjectApplication.objects.filter(
        project=project, status=ProjectApplication.Status.STARTED
    ).exists()
