"""Which towns qualify as demonstration towns by the current criteria."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from cunqi.pairing.models import Pairing
from cunqi.projects import lifecycle
from cunqi.registry.models import Village
from cunqi.supervision import demonstration
from cunqi.supervision.models import (
    DemonstrationCriteria,
)

if TYPE_CHECKING:
    from cunqi.registry.models import Town


@dataclass(frozen=True)
class TownQualification:
    town: object
    verdict: object  # demonstration.Verdict


def demonstration_towns(towns: Iterable[Town]) -> list[TownQualification]:
    """Each of ``towns`` judged by the current criteria, from its villages' rows."""

    criteria = DemonstrationCriteria.current()
    statuses = [lifecycle.OPERATING]
    if criteria.count_projects_being_built:
        statuses.append(lifecycle.BUILDING)
    villages = (
        Village.objects.filter(town__in=towns)
        .annotate(
            paired=Count(
                "pairings", filter=Q(pairings__status=Pairing.Status.ACTIVE), distinct=True
            ),
            counted=Count("projects", filter=Q(projects__status__in=statuses), distinct=True),
        )
        .order_by("town", "name")
        .values_list("town", "name", "paired", "counted")
    )
    facts = defaultdict(list)
    for town, name, paired, counted in villages:
        facts[town].append(demonstration.VillageFacts(name, paired > 0, counted))
    return [
        TownQualification(
            town,
            demonstration.town_verdict(
                facts[town.pk], criteria.every_village_paired, criteria.min_projects
            ),
        )
        for town in towns
    ]
