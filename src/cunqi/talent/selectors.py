from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum
from django.utils import timezone

from cunqi.registry.models import Zone
from cunqi.talent.models import Advisor, Service, Training

if TYPE_CHECKING:
    from cunqi.accounts.models import User


@dataclass(frozen=True)
class ZoneTalent:
    zone: Zone
    advisors: int
    villages_with_advisor: int
    services: int
    trainings: int
    trainees: int


def talent_by_zone(
    user: User, year: int | None = None, today: date | None = None
) -> list[ZoneTalent]:
    """Per zone, within what ``user`` sees: advisors in their term today and the villages
    they serve, and this year's expert/advisor services and trainings."""
    today = today or timezone.localdate()
    year = year or today.year
    in_term = Q(term_start__lte=today, term_end__gte=today)
    advisors = {
        row["village__town__zone"]: row
        for row in Advisor.objects.visible_to(user)
        .filter(in_term)
        .values("village__town__zone")
        .annotate(n=Count("pk"), villages=Count("village", distinct=True))
        .order_by()
    }
    services = dict(
        Service.objects.visible_to(user)
        .filter(held_on__year=year)
        .values("village__town__zone")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("village__town__zone", "n")
    )
    trainings = {
        row["village__town__zone"]: row
        for row in Training.objects.visible_to(user)
        .filter(held_on__year=year)
        .values("village__town__zone")
        .annotate(n=Count("pk"), people=Sum("trainees"))
        .order_by()
    }
    return [
        ZoneTalent(
            zone,
            advisors.get(zone.pk, {}).get("n", 0),
            advisors.get(zone.pk, {}).get("villages", 0),
            services.get(zone.pk, 0),
            trainings.get(zone.pk, {}).get("n", 0),
            trainings.get(zone.pk, {}).get("people") or 0,
        )
        for zone in Zone.objects.visible_to(user).order_by("sort_order", "name")
    ]
