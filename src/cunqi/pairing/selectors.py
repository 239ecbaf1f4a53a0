from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from cunqi.core import xlsx
from cunqi.core.models import ResourceKind
from cunqi.pairing.models import Pairing, Recommendation
from cunqi.registry.models import Enterprise

if TYPE_CHECKING:
    from cunqi.pairing.models import MatchingRun


def active_pairings():
    return Pairing.objects.filter(status=Pairing.Status.ACTIVE)


def paired_village_ids():
    """Villages in an active pairing, as a subquery."""
    return active_pairings().values("village_id")


def paired_enterprise_ids():
    return active_pairings().values("enterprise_id")


RECOMMENDATIONS_PER_PAGE = 50


def new_recommendations(run: MatchingRun) -> QuerySet[Recommendation]:
    """The run's recommendations beside the pairings it kept, best first."""
    return run.recommendations.exclude(decision=Recommendation.Decision.EXISTING).order_by(
        "-score", "pk"
    )


def page_of(recommendation: Recommendation) -> int:
    """The page of its run's recommendations that shows ``recommendation``."""
    before = new_recommendations(recommendation.run).filter(
        Q(score__gt=recommendation.score) | Q(score=recommendation.score, pk__lt=recommendation.pk)
    )
    return before.count() // RECOMMENDATIONS_PER_PAGE + 1


@dataclass(frozen=True)
class RecommendationRow:
    recommendation: object
    kinds: list[tuple[str, float]]  # complementing resource kinds and their share, largest first
    alternatives: list[tuple[object, float]]  # (enterprise, score)


def recommendation_rows(recommendations: Iterable[Recommendation]) -> list[RecommendationRow]:
    """Recommendations with their kinds and alternatives named (a few queries in all)."""
    recommendations = list(recommendations.select_related("village__town", "enterprise"))
    kind_names = {kind.code: str(kind) for kind in ResourceKind.objects.all()}
    alternative_ids = {pk for r in recommendations for pk, _score in r.alternatives}
    enterprises = Enterprise.objects.in_bulk(alternative_ids)
    return [
        RecommendationRow(
            recommendation=r,
            kinds=sorted(
                (
                    (kind_names.get(code, code), share)
                    for code, share in r.terms.get("kinds", {}).items()
                ),
                key=lambda item: -item[1],
            ),
            alternatives=[
                (enterprises[pk], score) for pk, score in r.alternatives if pk in enterprises
            ],
        )
        for r in recommendations
    ]


def recommendations_xlsx(run: MatchingRun) -> bytes:
    header = [
        _("village"),
        _("town"),
        _("enterprise"),
        _("score"),
        _("complementary resources"),
        _("industry fit"),
        _("proximity"),
        _("distance (km)"),
        _("complementing resources"),
        _("alternatives"),
        _("decision"),
        _("reason"),
    ]
    rows = (
        [
            row.recommendation.village,
            row.recommendation.village.town,
            row.recommendation.enterprise,
            round(row.recommendation.score, 4),
            round(row.recommendation.terms["complementarity"], 4),
            round(row.recommendation.terms["industry"], 4),
            round(row.recommendation.terms["proximity"], 4),
            round(row.recommendation.distance_km, 1),
            "、".join(name for name, _share in row.kinds),
            "、".join(f"{enterprise} ({score:.3f})" for enterprise, score in row.alternatives),
            row.recommendation.get_decision_display(),
            row.recommendation.reason,
        ]
        for row in recommendation_rows(run.recommendations.all())
    )
    return xlsx.write_rows(str(_("Recommendations")), header, rows)
