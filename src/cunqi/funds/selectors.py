from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet, Sum
from django.utils import timezone

from cunqi.core.fields import ZERO
from cunqi.core.models import Department
from cunqi.core.permissions import allows
from cunqi.core.scoping import user_scope
from cunqi.funds import eligibility
from cunqi.funds.models import Allocation, Disbursement, FundBudget, FundSource, Policy
from cunqi.projects.models import Project

if TYPE_CHECKING:
    from cunqi.accounts.models import User


@dataclass(frozen=True)
class PolicyMatch:
    policy: Policy
    verdict: eligibility.Verdict


def project_facts(project: Project) -> eligibility.ProjectFacts:
    return eligibility.ProjectFacts(
        industry=project.industry_id,
        models=frozenset(project.cooperation_models.values_list("pk", flat=True)),
        zones=frozenset(project.villages.values_list("town__zone", flat=True)),
        planned_investment=project.planned_investment,
        is_demonstration=project.is_demonstration,
    )


def policies_for(project: Project) -> list[PolicyMatch]:
    """Every policy judged for ``project``: the eligible first, then the nearest misses."""
    facts = project_facts(project)
    today = timezone.localdate()
    matches = []
    for policy in Policy.objects.prefetch_related("industries", "cooperation_models", "zones"):
        terms = eligibility.PolicyTerms(
            industries=frozenset(i.pk for i in policy.industries.all()),
            models=frozenset(m.pk for m in policy.cooperation_models.all()),
            zones=frozenset(z.pk for z in policy.zones.all()),
            min_investment=policy.min_investment,
            demonstration_only=policy.demonstration_only,
            valid_until=policy.valid_until,
        )
        matches.append(PolicyMatch(policy, eligibility.judge(terms, facts, today)))
    matches.sort(key=lambda m: (not m.verdict.eligible, sum(not r.met for r in m.verdict.reasons)))
    return matches


@dataclass(frozen=True)
class FundingLine:
    source: FundSource
    allocated: Decimal
    disbursed: Decimal


def project_funding(project: Project) -> list[FundingLine]:
    """A project's funding mix: what each source allocated to it and paid out."""
    rows = (
        Allocation.objects.filter(project=project)
        .values("budget__source")
        .annotate(allocated=Sum("amount"), disbursed=Sum("disbursed"))
        .order_by()
    )
    sources = FundSource.objects.in_bulk([row["budget__source"] for row in rows])
    return sorted(
        (
            FundingLine(
                sources[row["budget__source"]], row["allocated"] or ZERO, row["disbursed"] or ZERO
            )
            for row in rows
        ),
        key=lambda line: -line.allocated,
    )


@dataclass(frozen=True)
class FundsLine:
    label: str
    budget: Decimal | None  # None where the reader sees only part of the programme
    allocated: Decimal
    disbursed: Decimal
    department_id: int | None = None


@dataclass(frozen=True)
class FundsOverview:
    """A year's funds by kind of source and by department, over the allocations the user
    may see (budgets only for those who see the whole programme)."""

    year: int
    by_kind: list[FundsLine]
    by_department: list[FundsLine]


def funds_overview(user: User, year: int | None = None) -> FundsOverview:
    year = year or timezone.localdate().year
    whole = user_scope(user).everything
    allocations = (
        Allocation.objects.visible_to(user)
        .filter(budget__year=year)
        .values("budget__source__kind", "budget__source__department")
        .annotate(allocated=Sum("amount"), disbursed=Sum("disbursed"))
        .order_by()
    )
    budgets = (
        FundBudget.objects.filter(year=year)
        .values("source__kind", "source__department")
        .annotate(total=Sum("amount"))
        .order_by()
        if whole
        else []
    )
    kinds = dict(FundSource.Kind.choices)
    departments = Department.objects.in_bulk()
    totals: dict[tuple[str, object], list] = {}
    for row in allocations:
        for key in (
            ("kind", row["budget__source__kind"]),
            ("department", row["budget__source__department"]),
        ):
            line = totals.setdefault(key, [ZERO, ZERO, ZERO])
            line[1] += row["allocated"] or ZERO
            line[2] += row["disbursed"] or ZERO
    for row in budgets:
        for key in (("kind", row["source__kind"]), ("department", row["source__department"])):
            totals.setdefault(key, [ZERO, ZERO, ZERO])[0] += row["total"] or ZERO

    def lines(group: str) -> list[FundsLine]:
        found = [
            FundsLine(
                str(kinds[key]) if group == "kind" else str(departments[key]),
                budget if whole else None,
                allocated,
                disbursed,
                key if group == "department" else None,
            )
            for (kind, key), (budget, allocated, disbursed) in totals.items()
            if kind == group
        ]
        return sorted(found, key=lambda line: (-(line.budget or line.allocated), line.label))

    return FundsOverview(year, lines("kind"), lines("department"))


def disbursements_to_approve(user: User) -> QuerySet:
    """Payments recorded in ``user``'s department (any, for the task force) that wait for a
    second person's approval, and that ``user`` did not record; oldest first."""
    if not allows(user, "approve", Disbursement):
        return Disbursement.objects.none()
    return (
        Disbursement.objects.editable_by(user)
        .filter(status=Disbursement.Status.RECORDED)
        .exclude(recorded_by=user)
        .select_related("allocation__project")
        .order_by("paid_on", "pk")
    )
