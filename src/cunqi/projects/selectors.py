from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from cunqi.core import ratios
from cunqi.core.fields import ZERO
from cunqi.projects.models import Project


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
