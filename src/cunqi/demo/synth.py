"""Synthetic programmes at county, province and national scale, for benchmarks.

Rows are streamed into the database in batches (bulk inserts, history off), so memory
holds ids, not rows. The same scale and seed always give the same data.
"""

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import islice

from auditlog.context import disable_auditlog
from django.db import transaction
from django.db.models import Model

from cunqi.core import uscc
from cunqi.core.models import CooperationModel, Industry, ResourceKind
from cunqi.pairing.models import Pairing
from cunqi.projects.models import Investment, Project
from cunqi.registry.models import Enterprise, Resource, Town, Village, Zone


@dataclass(frozen=True)
class Scale:
    villages: int
    enterprises: int
    projects: int
    villages_per_town: int = 15
    towns_per_zone: int = 20
    months: int = 24
    paired_share: float = 0.6


SCALES = {
    "county": Scale(villages=300, enterprises=100, projects=250),
    "province": Scale(villages=16_000, enterprises=5_000, projects=20_000),
    "nation": Scale(villages=490_000, enterprises=100_000, projects=600_000),
}
BATCH = 5_000
FIRST_MONTH = date(2024, 11, 1)


def _batched(items: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _months(count: int) -> list[date]:
    months, year, month = [], FIRST_MONTH.year, FIRST_MONTH.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _point(rng: random.Random) -> dict[str, Decimal]:
    """A place within mainland China's bounding box, to the metre."""
    return {
        "latitude": Decimal(rng.randrange(18_000_000, 53_000_000)) / 1_000_000,
        "longitude": Decimal(rng.randrange(74_000_000, 134_000_000)) / 1_000_000,
    }


class Synthesiser:
    def __init__(
        self, scale: Scale, seed: int, progress: Callable[[str, int], Callable[[int], None]]
    ):
        self.scale = scale
        self.rng = random.Random(seed)
        self.progress = progress

    def insert(self, label: str, model: type[Model], rows: Iterable, total: int) -> list[int]:
        """Bulk-insert ``rows`` in batches; the new ids, in order."""
        advance = self.progress(label, total)
        ids: list[int] = []
        for batch in _batched(rows):
            created = model.objects.bulk_create(batch)
            ids.extend(item.pk for item in created)
            advance(len(batch))
        return ids

    def run(self) -> dict[str, int]:
        scale = self.scale
        with transaction.atomic(), disable_auditlog():
            towns_count = max(1, scale.villages // scale.villages_per_town)
            zones_count = max(1, towns_count // scale.towns_per_zone)
            zone_ids = self.insert(
                "zones",
                Zone,
                (Zone(name=f"合成片区{n:05d}", sort_order=n % 30000) for n in range(zones_count)),
                zones_count,
            )
            town_ids = self.insert(
                "towns",
                Town,
                (
                    Town(
                        zone_id=zone_ids[n % zones_count],
                        name=f"合成镇{n:06d}",
                        is_demonstration=n % 50 == 0,
                    )
                    for n in range(towns_count)
                ),
                towns_count,
            )
            village_ids = self.insert("villages", Village, self.villages(town_ids), scale.villages)
            industries = list(Industry.objects.values_list("pk", flat=True))
            enterprise_ids = self.insert(
                "enterprises", Enterprise, self.enterprises(industries), scale.enterprises
            )
            paired = int(scale.villages * scale.paired_share)
            self.insert(
                "pairings", Pairing, self.pairings(village_ids[:paired], enterprise_ids), paired
            )
            project_ids = self.insert(
                "projects", Project, self.projects(industries), scale.projects
            )
            self.link_projects(project_ids, village_ids[:paired], enterprise_ids)
            self.insert(
                "investments",
                Investment,
                self.investments(project_ids),
                scale.projects * scale.months,
            )
            kinds = list(ResourceKind.objects.values_list("pk", flat=True))
            self.insert(
                "resources",
                Resource,
                self.resources(village_ids, enterprise_ids, kinds),
                2 * scale.villages + 2 * scale.enterprises,
            )
        return {
            "villages": len(village_ids),
            "enterprises": len(enterprise_ids),
            "projects": len(project_ids),
        }

    def villages(self, town_ids: list[int]) -> Iterator[Village]:
        rng = self.rng
        for n in range(self.scale.villages):
            population = rng.randrange(300, 4000)
            yield Village(
                town_id=town_ids[n // self.scale.villages_per_town % len(town_ids)],
                code=f"97{n:010d}",
                name=f"合成村{n:06d}",
                population=population,
                household_count=population // 3,
                **_point(rng),
            )

    def enterprises(self, industries: list[int]) -> Iterator[Enterprise]:
        rng = self.rng
        for n in range(self.scale.enterprises):
            body = f"9100{n:013d}"
            yield Enterprise(
                uscc=body + uscc.check_character(body),
                name=f"合成企业{n:06d}",
                ownership="private",
                industry_id=rng.choice(industries),
                village_capacity=rng.choice((1, 2, 3, 5)),
                # Without coordinates an enterprise is no village's candidate.
                **_point(rng),
            )

    def pairings(self, village_ids: list[int], enterprise_ids: list[int]) -> Iterator[Pairing]:
        for n, village_id in enumerate(village_ids):
            yield Pairing(
                village_id=village_id,
                enterprise_id=enterprise_ids[n % len(enterprise_ids)],
                start_date=date(2024, 1, 1),
                status=Pairing.Status.ACTIVE,
            )

    def projects(self, industries: list[int]) -> Iterator[Project]:
        rng = self.rng
        statuses = [
            Project.Status.BUILDING,
            Project.Status.OPERATING,
            Project.Status.OPERATING,
            Project.Status.PLANNED,
        ]
        for n in range(self.scale.projects):
            yield Project(
                code=f"SY{n:07d}",
                name=f"合成项目{n:07d}",
                industry_id=rng.choice(industries),
                status=rng.choice(statuses),
                is_demonstration=n % 25 == 0,
                planned_investment=Decimal(rng.randrange(100, 5000) * 10000),
                start_date=FIRST_MONTH,
            )

    def link_projects(
        self, project_ids: list[int], village_ids: list[int], enterprise_ids: list[int]
    ) -> None:
        models = list(CooperationModel.objects.values_list("pk", flat=True))
        links = (
            ("project villages", Project.villages.through, "village_id", village_ids),
            ("project enterprises", Project.enterprises.through, "enterprise_id", enterprise_ids),
            ("project models", Project.cooperation_models.through, "cooperationmodel_id", models),
        )
        for label, through, column, targets in links:
            rows = (
                through(project_id=project_id, **{column: targets[n % len(targets)]})
                for n, project_id in enumerate(project_ids)
            )
            self.insert(label, through, rows, len(project_ids))

    def investments(self, project_ids: list[int]) -> Iterator[Investment]:
        rng = self.rng
        months = _months(self.scale.months)
        for project_id in project_ids:
            for month in months:
                planned = rng.randrange(0, 200_000)
                yield Investment(
                    project_id=project_id,
                    month=month,
                    source=Investment.Source.ENTERPRISE,
                    planned_amount=Decimal(planned),
                    completed_amount=Decimal(planned * rng.randrange(50, 110) // 100),
                )

    def resources(
        self, village_ids: list[int], enterprise_ids: list[int], kinds: list[int]
    ) -> Iterator[Resource]:
        rng = self.rng
        for village_id in village_ids:
            for kind in rng.sample(kinds, 2):
                yield Resource(
                    village_id=village_id,
                    direction="offers",
                    kind_id=kind,
                    quantity=Decimal(rng.randrange(1, 2000)),
                )
        for enterprise_id in enterprise_ids:
            for kind in rng.sample(kinds, 2):
                yield Resource(
                    enterprise_id=enterprise_id,
                    direction="needs",
                    kind_id=kind,
                    quantity=Decimal(rng.randrange(1, 2000)),
                )
