"""Which policies a project may be eligible for, and why: plain data in, reasons out.

Each criterion a policy sets is checked against the project; one the policy leaves empty
does not limit it. The answer keeps every reason, met or not, so a town officer sees both
why a policy fits and what a project lacks for one that does not.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class ProjectFacts:
    industry: int
    models: frozenset[int]
    zones: frozenset[int]
    planned_investment: Decimal
    is_demonstration: bool


@dataclass(frozen=True)
class PolicyTerms:
    industries: frozenset[int] = frozenset()
    models: frozenset[int] = frozenset()
    zones: frozenset[int] = frozenset()
    min_investment: Decimal | None = None
    demonstration_only: bool = False
    valid_until: date | None = None


@dataclass(frozen=True)
class Reason:
    code: str  # industry, model, zone, investment, demonstration, validity
    met: bool
    figures: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    reasons: tuple[Reason, ...]

    @property
    def eligible(self) -> bool:
        return all(reason.met for reason in self.reasons)


def judge(policy: PolicyTerms, project: ProjectFacts, today: date) -> Verdict:
    reasons = []
    if policy.valid_until is not None:
        reasons.append(
            Reason("validity", today <= policy.valid_until, {"until": policy.valid_until})
        )
    if policy.industries:
        reasons.append(Reason("industry", project.industry in policy.industries))
    if policy.models:
        reasons.append(Reason("model", bool(project.models & policy.models)))
    if policy.zones:
        reasons.append(Reason("zone", bool(project.zones & policy.zones)))
    if policy.min_investment is not None:
        reasons.append(
            Reason(
                "investment",
                project.planned_investment >= policy.min_investment,
                {"planned": project.planned_investment, "minimum": policy.min_investment},
            )
        )
    if policy.demonstration_only:
        reasons.append(Reason("demonstration", project.is_demonstration))
    return Verdict(tuple(reasons))
