from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from cunqi.core.fields import ZERO
from cunqi.projects.models import Project


@dataclass(frozen=True)
class InvestmentProgress:
    planned: Decimal
    completed: Decimal

    @property
    def completed_share(self) -> Decimal | None:
        """Completed as a percentage of the planned investment (one place), if planned."""
        if not self.planned:
            return None
        return (Decimal(100) * self.completed / self.planned).quantize(Decimal("0.1"))


def investment_progress(project: Project) -> InvestmentProgress:
    completed = project.investments.aggregate(total=Sum("completed_amount"))["total"] or ZERO
    return InvestmentProgress(planned=project.planned_investment, completed=completed)
