"""The demo programme of DESIGN §5: the city as the seed reports it.

Towns and sub-districts are the city's real ones; how they fall into five zones is not
public, so the split here is a plausible one. Every other name is invented and looks it
(示例…), except the four named cases of the seed and their enterprises. Figures that the
seed reports are exact: 88 enterprises paired with 90 villages, every pairing with a city
leader, 81 projects landed of which 30 are demonstration projects, 770 million yuan of
completed investment, all six cooperation models in use.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property

from auditlog.context import disable_auditlog
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from cunqi.accounts.models import User
from cunqi.accounts.passwords import DEMO_PASSWORD
from cunqi.benefits.models import (
    Delivery,
    Distribution,
    Employment,
    EquityStructure,
    JournalEntry,
    LandTransfer,
    Order,
    Payout,
    RentPayment,
    Stake,
    VillagerWeight,
)
from cunqi.benefits.services import (
    approve_distribution,
    post_distribution,
    prepare_distribution,
    record_rent_payment,
    save_land_transfer,
    save_structure,
)
from cunqi.core import uscc
from cunqi.core.models import CooperationModel, Department, Industry, ResourceKind
from cunqi.core.personal import with_id_check
from cunqi.core.roles import Role
from cunqi.core.split import split
from cunqi.demo.library import build_library
from cunqi.funds.models import Allocation, Disbursement, FundBudget, FundSource, Policy
from cunqi.funds.services import save_allocation, save_budget, save_disbursement
from cunqi.pairing.models import MatchingRun, Pairing, Recommendation
from cunqi.projects.models import (
    ApprovalDocument,
    ApprovalEvent,
    Handover,
    HandoverAsset,
    Investment,
    Project,
    ProjectApplication,
)
from cunqi.projects.services import accept_step, open_approval, supply_document
from cunqi.registry.models import (
    Enterprise,
    Household,
    Person,
    Resource,
    Town,
    Village,
    VillageGroup,
    VillageIncome,
    Zone,
)
from cunqi.supervision.models import (
    ActionItem,
    Award,
    Card,
    EvaluationIndicator,
    EvaluationScheme,
    Instruction,
    Meeting,
    MonthlyReport,
    Nomination,
    RuleSetting,
)
from cunqi.supervision.rules import (
    SUPERVISED,
    last_closed_quarter,
    last_due_month,
    months_back,
    report_due_on,
)
from cunqi.supervision.services import DEFAULT_WEIGHTS, evaluate_cards, save_scheme
from cunqi.talent.models import Advisor, Expert, Service, Training

SEED = 2023
AS_OF = date(2026, 10, 1)  # the last month with reported figures
COMPLETED_INVESTMENT = Decimal("770000000.00")

# zone → [(town, sub-district, demonstration town, paired villages, unpaired villages)]
ZONES = (
    (
        "北部片区",
        (
            ("大柳塔镇", False, True, 8, 0),
            ("孙家岔镇", False, True, 7, 0),
            ("中鸡镇", False, False, 5, 2),
            ("店塔镇", False, False, 5, 2),
        ),
    ),
    (
        "西部片区",
        (
            ("尔林兔镇", False, False, 5, 2),
            ("大保当镇", False, False, 5, 2),
            ("锦界镇", False, False, 5, 1),
            ("高家堡镇", False, False, 5, 2),
        ),
    ),
    (
        "中部片区",
        (
            ("滨河新区街道", True, False, 2, 0),
            ("西沟街道", True, False, 2, 1),
            ("迎宾路街道", True, False, 1, 0),
            ("麟州街道", True, False, 2, 0),
            ("永兴街道", True, False, 3, 1),
        ),
    ),
    (
        "东部片区",
        (
            ("沙峁镇", False, False, 5, 2),
            ("贺家川镇", False, False, 5, 2),
            ("万镇镇", False, False, 5, 2),
            ("马镇镇", False, False, 5, 2),
        ),
    ),
    (
        "南部片区",
        (
            ("栏杆堡镇", False, False, 5, 2),
            ("太和寨镇", False, False, 5, 3),
            ("花石崖镇", False, False, 5, 3),
        ),
    ),
)

# The seed's named villages, placed in plausible towns (their real towns are not given).
SHIJIAOTA, XIHULUSU, QIAOJIA, NIJIAGOU = "石角塔村", "西葫芦素村", "乔家村", "倪家沟村"
NAMED_VILLAGES = {
    "大柳塔镇": SHIJIAOTA,
    "尔林兔镇": XIHULUSU,
    "高家堡镇": QIAOJIA,
    "万镇镇": NIJIAGOU,
}
LONGHUA = "龙华生态农业有限公司"
STATE_ASSETS = "市国有资本投资运营集团"

ENTERPRISE_WORDS = (
    "农牧科技",
    "生态农业",
    "食品加工",
    "文旅发展",
    "能源化工",
    "商贸物流",
    "种业",
    "果业",
)
PAIRED_ENTERPRISES = 88
UNPAIRED_ENTERPRISES = 12
LANDED_PROJECTS = 81
DEMONSTRATION_PROJECTS = 30
CITY_CENTRE = (Decimal("38.84"), Decimal("110.50"))


@dataclass
class Built:
    pairings: int
    projects: int
    investments: int


def is_loaded() -> bool:
    return Zone.objects.exists() or Village.objects.exists() or Enterprise.objects.exists()


# A one-page PDF standing in for a scanned document in the demo's approval case.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class CannotWipe(Exception):
    """The database holds posted journal entries, which nothing may delete."""


def wipe() -> None:
    """Remove the domain rows (reference data and superusers stay).

    The journal is append-only even for this: a database with posted entries cannot be
    wiped, only replaced by a fresh one.
    """
    if JournalEntry.objects.exists():
        raise CannotWipe
    with transaction.atomic(), disable_auditlog():
        # Complete structures freeze their stakes in the database: open them first.
        EquityStructure.objects.update(is_complete=False)
        for model in (
            Training,
            Service,
            Advisor,
            Expert,
            Policy,
            Disbursement,
            Allocation,
            FundBudget,
            FundSource,
            Award,
            Nomination,
            EvaluationScheme,
            Instruction,
            Card,
            ActionItem,
            Meeting,
            MonthlyReport,
            Recommendation,
            MatchingRun,
            Delivery,
            Order,
            HandoverAsset,
            Handover,
            RentPayment,
            LandTransfer,
            Employment,
            Payout,
            Distribution,
            VillagerWeight,
            Stake,
            EquityStructure,
            Investment,
            ProjectApplication,
            Project,
            Pairing,
            Resource,
            Household,
            VillageGroup,
            VillageIncome,
            Person,
            Enterprise,
            Village,
            Town,
            Zone,
        ):
            model.objects.all().delete()
        User.objects.filter(is_superuser=False).delete()


def make_uscc(rng: random.Random) -> str:
    """A code with a valid check character: authority 9, category 1, region 610881."""
    body = "91610881" + "".join(rng.choice(uscc.ALPHABET[:10]) for _ in range(9))
    return body + uscc.check_character(body)


def _months(start: date, count: int) -> list[date]:
    months = []
    year, month = start.year, start.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _near(
    rng: random.Random, centre: tuple[Decimal, Decimal], spread: float
) -> tuple[Decimal, Decimal]:
    q = Decimal("0.000001")
    return (
        (centre[0] + Decimal(str(rng.uniform(-spread, spread)))).quantize(q),
        (centre[1] + Decimal(str(rng.uniform(-spread, spread)))).quantize(q),
    )


class ProgrammeBuilder:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.industries = {item.code: item for item in Industry.objects.all()}
        self.models = {item.code: item for item in CooperationModel.objects.all()}
        self.kinds = {item.code: item for item in ResourceKind.objects.all()}

    @cached_property
    def officer(self) -> User:
        """Who the demo's writes through the platform's doors are made by."""
        return User.objects.get(username="taskforce")

    def build(self) -> Built:
        with transaction.atomic(), disable_auditlog():
            self.build_geography()
            self.build_enterprises()
            self.build_people()
            self.build_pairings()
            self.build_projects()
            investments = self.build_investments()
            self.build_resources()
            self.build_households_and_incomes()
            self.build_accounts()
            self.build_equity()
            self.build_shijiaota_equity()
            self.build_employment()
            self.build_land()
            self.build_handover()
            self.build_orders()
            self.build_distributions()
            self.build_meetings()
            self.build_approvals()
            self.build_funds()
            build_library(self.officer)
            self.build_policies()
            self.build_talent()
            self.build_monthly_reports()
            self.build_evaluation()
            self.build_awards()
            self.build_instructions()
        return Built(len(self.pairings), len(self.projects), investments)

    # — registry —
    def build_geography(self) -> None:
        self.towns: dict[str, Town] = {}
        self.paired_villages: list[Village] = []
        self.unpaired_villages: list[Village] = []
        self.named: dict[str, Village] = {}
        village_number = 0
        for zone_order, (zone_name, towns) in enumerate(ZONES, start=1):
            zone = Zone.objects.create(name=zone_name, sort_order=zone_order)
            for town_name, subdistrict, demonstration, paired, unpaired in towns:
                town = Town.objects.create(
                    zone=zone,
                    name=town_name,
                    is_subdistrict=subdistrict,
                    is_demonstration=demonstration,
                )
                self.towns[town_name] = town
                town_centre = _near(self.rng, CITY_CENTRE, 0.45)
                short = town_name.removesuffix("镇").removesuffix("街道")
                for index in range(paired + unpaired):
                    village_number += 1
                    if index == 0 and town_name in NAMED_VILLAGES:
                        name = NAMED_VILLAGES[town_name]
                    else:
                        name = f"{short}示例{index + 1:02d}村"
                    latitude, longitude = _near(self.rng, town_centre, 0.08)
                    population = self.rng.randrange(400, 3200)
                    village = Village.objects.create(
                        town=town,
                        code=f"99{village_number:010d}",
                        name=name,
                        population=population,
                        household_count=population // self.rng.randrange(2, 4),
                        latitude=latitude,
                        longitude=longitude,
                    )
                    if name in NAMED_VILLAGES.values():
                        self.named[name] = village
                    (self.paired_villages if index < paired else self.unpaired_villages).append(
                        village
                    )

    def build_enterprises(self) -> None:
        industries = list(self.industries.values())
        self.enterprises: list[Enterprise] = []
        specials = (
            (LONGHUA, "private", "planting_breeding", 2),
            (STATE_ASSETS, "state", "processing", 3),
        )
        for name, ownership, industry, capacity in specials:
            self.enterprises.append(
                self._enterprise(name, ownership, self.industries[industry], capacity)
            )
        for number in range(len(specials) + 1, PAIRED_ENTERPRISES + UNPAIRED_ENTERPRISES + 1):
            word = ENTERPRISE_WORDS[number % len(ENTERPRISE_WORDS)]
            ownership = self.rng.choice(
                ("private", "private", "private", "state", "collective", "mixed")
            )
            self.enterprises.append(
                self._enterprise(
                    f"示例{word}有限公司{number:03d}",
                    ownership,
                    self.rng.choice(industries),
                    self.rng.choice((1, 1, 2, 3)),
                )
            )

    def _enterprise(
        self, name: str, ownership: str, industry: Industry, capacity: int
    ) -> Enterprise:
        latitude, longitude = _near(self.rng, CITY_CENTRE, 0.5)
        return Enterprise.objects.create(
            uscc=make_uscc(self.rng),
            name=name,
            ownership=ownership,
            industry=industry,
            village_capacity=capacity,
            contact_name=f"示例联系人{len(self.enterprises) + 1:03d}",
            latitude=latitude,
            longitude=longitude,
        )

    def build_people(self) -> None:
        agriculture = Department.objects.get(code="agriculture")
        self.leaders = [
            Person.objects.create(
                name=f"示例市领导{n:02d}", kind=Person.Kind.LEADER, title="市级领导"
            )
            for n in range(1, 31)
        ]
        self.taskforce = [
            Person.objects.create(
                name=f"示例专班成员{n:02d}", kind=Person.Kind.TASKFORCE, title="工作专班"
            )
            for n in range(1, 11)
        ]
        self.advisors = [
            Person.objects.create(
                name=f"示例顾问{n:02d}", kind=Person.Kind.ADVISOR, title="村集体经济发展顾问"
            )
            for n in range(1, 7)
        ]
        self.experts = [
            Person.objects.create(
                name=f"示例专家{n:02d}",
                kind=Person.Kind.EXPERT,
                organisation="示例农业大学",
                department=agriculture,
            )
            for n in range(1, 5)
        ]

    def build_pairings(self) -> None:
        """90 pairings with 88 enterprises: Longhua and the state-assets group take two each."""
        by_name = {village.name: village for village in self.paired_villages}
        second_longhua = next(
            v for v in self.paired_villages if v.town.name == "大柳塔镇" and v.name != SHIJIAOTA
        )
        second_state = next(
            v for v in self.paired_villages if v.town.name == "高家堡镇" and v.name != QIAOJIA
        )
        fixed = {
            by_name[SHIJIAOTA].pk: self.enterprises[0],
            second_longhua.pk: self.enterprises[0],
            by_name[QIAOJIA].pk: self.enterprises[1],
            second_state.pk: self.enterprises[1],
        }
        others = iter(self.enterprises[2:PAIRED_ENTERPRISES])
        self.pairings: list[Pairing] = []
        for index, village in enumerate(self.paired_villages):
            enterprise = fixed.get(village.pk) or next(others)
            start = date(2023, 1, 1) if index < 60 else date(2023, self.rng.randrange(2, 13), 1)
            self.pairings.append(
                Pairing(
                    village=village,
                    enterprise=enterprise,
                    start_date=start,
                    status=Pairing.Status.ACTIVE,
                    leader=self.leaders[index % len(self.leaders)],
                    taskforce_contact=self.taskforce[index % len(self.taskforce)],
                )
            )
        Pairing.objects.bulk_create(self.pairings)

    # — projects —
    def build_projects(self) -> None:
        """81 landed projects (an enclave project joins three villages) and four in the pipeline."""
        m = self.models
        ind = self.industries
        pairing_of = {pairing.village_id: pairing for pairing in self.pairings}
        named = self.named
        self.projects: list[Project] = []
        self.project_villages: dict[int, list[Village]] = {}

        def project(
            name: str,
            villages: list[Village],
            enterprise: Enterprise,
            models: list[CooperationModel],
            industry: Industry,
            status: str,
            start: date,
            demonstration: bool,
            **extra: object,
        ) -> Project:
            item = Project.objects.create(
                code=f"CQ{len(self.projects) + 1:04d}",
                name=name,
                industry=industry,
                status=status,
                is_demonstration=demonstration,
                start_date=start,
                planned_investment=Decimal("0.00"),
                **extra,
            )
            item.villages.set(villages)
            item.enterprises.set([enterprise])
            item.cooperation_models.set(models)
            self.projects.append(item)
            self.project_villages[item.pk] = villages
            return item

        operating, building = Project.Status.OPERATING, Project.Status.BUILDING
        project(
            "石角塔村龙华生态农业基地",
            [named[SHIJIAOTA]],
            pairing_of[named[SHIJIAOTA].pk].enterprise,
            [m["leading_enterprise"], m["labour"]],
            ind["planting_breeding"],
            operating,
            date(2023, 3, 1),
            True,
            description="盘活撂荒地1000余亩，建成高标准农田750亩、温室大棚49座；务工村民月收入6400元；"
            "村集体年收入50万元以上，收益建成老年幸福院和村史馆。",
        )
        project(
            "乔家村红枣深加工厂",
            [named[QIAOJIA]],
            pairing_of[named[QIAOJIA].pk].enterprise,
            [m["chain_sinking"], m["leading_enterprise"]],
            ind["processing"],
            operating,
            date(2023, 4, 1),
            True,
            description="市国资集团建设红枣加工厂，延伸红枣精深加工产业链。",
        )
        project(
            "倪家沟村高标准农田项目",
            [named[NIJIAGOU]],
            pairing_of[named[NIJIAGOU].pk].enterprise,
            [m["leading_enterprise"]],
            ind["planting_breeding"],
            operating,
            date(2023, 5, 1),
            True,
            income_years=15,
            handover_date=date(2038, 5, 1),
            description="收益期15年，期满后设施无偿移交村集体。",
        )
        project(
            "西葫芦素村村企联营种养殖项目",
            [named[XIHULUSU]],
            pairing_of[named[XIHULUSU].pk].enterprise,
            [m["leading_enterprise"], m["orders"]],
            ind["planting_breeding"],
            operating,
            date(2023, 6, 1),
            True,
            description="股权结构：村集体10%＋村小组10%＋企业41%＋村民39%。",
        )
        sunjiacha = [v for v in self.paired_villages if v.town.name == "孙家岔镇"]
        project(
            "孙家岔镇飞地抱团产业园（示例）",
            sunjiacha[:3],
            pairing_of[sunjiacha[0].pk].enterprise,
            [m["enclave"]],
            ind["processing"],
            operating,
            date(2023, 7, 1),
            True,
        )

        done = {v.pk for p in self.projects for v in self.project_villages[p.pk]}
        demonstration_town_villages = [
            v for v in self.paired_villages if v.town.is_demonstration and v.pk not in done
        ]
        other_villages = [
            v for v in self.paired_villages if not v.town.is_demonstration and v.pk not in done
        ]
        self.rng.shuffle(other_villages)
        remaining = LANDED_PROJECTS - len(self.projects)
        chosen = (
            demonstration_town_villages
            + other_villages[: remaining - len(demonstration_town_villages)]
        )
        pipeline_villages = other_villages[remaining - len(demonstration_town_villages) :][:4]
        demonstration_left = DEMONSTRATION_PROJECTS - len(self.projects)
        model_cycle = [
            "agri_tourism",
            "orders",
            "labour",
            "chain_sinking",
            "leading_enterprise",
            "enclave",
        ]
        industry_for_model = {
            "agri_tourism": "agri_culture_tourism",
            "orders": "planting_breeding",
            "labour": "planting_breeding",
            "chain_sinking": "processing",
            "leading_enterprise": "processing",
            "enclave": "planting_breeding",
        }
        kind_names = {
            "agri_culture_tourism": "农文旅融合示范园",
            "planting_breeding": "特色种养殖基地",
            "processing": "农产品加工车间",
        }
        for index, village in enumerate(chosen):
            model_code = model_cycle[index % len(model_cycle)]
            industry_code = industry_for_model[model_code]
            in_demonstration_town = village.town.is_demonstration
            project(
                f"{village.name}{kind_names[industry_code]}",
                [village],
                pairing_of[village.pk].enterprise,
                [m[model_code]],
                ind[industry_code],
                operating if in_demonstration_town or self.rng.random() < 0.55 else building,
                date(2023 + index % 3, self.rng.randrange(1, 13), 1),
                index < demonstration_left,
            )
        for index, village in enumerate(pipeline_villages):
            status = Project.Status.PLANNED if index < 2 else Project.Status.APPROVING
            project(
                f"{village.name}拟建项目（储备）",
                [village],
                pairing_of[village.pk].enterprise,
                [m["orders"]],
                ind["planting_breeding"],
                status,
                date(2027, 3, 1),
                False,
            )

    def build_investments(self) -> int:
        landed = [p for p in self.projects if p.is_landed]
        weights = [
            Decimal(self.rng.randrange(30, 100) * (3 if p.is_demonstration else 1)) for p in landed
        ]
        # Whole 万元 per project; the totals add up exactly to the seed's 7.7亿元.
        totals = [part * 10000 for part in split(COMPLETED_INVESTMENT / 10000, weights)]
        sources = [
            Investment.Source.ENTERPRISE,
            Investment.Source.HIGHER_LEVEL,
            Investment.Source.DEPARTMENT,
            Investment.Source.VILLAGE,
        ]
        source_weights = [Decimal(60), Decimal(20), Decimal(15), Decimal(5)]
        rows: list[Investment] = []
        for project, completed_total in zip(landed, totals, strict=True):
            elapsed = (
                (AS_OF.year - project.start_date.year) * 12
                + AS_OF.month
                - project.start_date.month
                + 1
            )
            if project.status == Project.Status.OPERATING:
                planned_total, plan_months = (
                    completed_total,
                    min(elapsed, self.rng.randrange(10, 25)),
                )
                done_months = plan_months
            else:
                planned_total = (
                    completed_total * Decimal(str(self.rng.uniform(1.1, 1.5))) / 10000
                ).quantize(Decimal("1")) * 10000
                plan_months = elapsed + self.rng.randrange(4, 12)
                done_months = elapsed
            project.planned_investment = planned_total
            plan_months_list = _months(project.start_date, plan_months)
            done_months_list = _months(project.start_date, done_months)
            planned_cells = self._cells(planned_total, plan_months_list, sources, source_weights)
            completed_cells = self._cells(
                completed_total, done_months_list, sources, source_weights
            )
            for key in sorted(planned_cells.keys() | completed_cells.keys()):
                rows.append(
                    Investment(
                        project=project,
                        month=key[0],
                        source=key[1],
                        planned_amount=planned_cells.get(key, Decimal("0.00")),
                        completed_amount=completed_cells.get(key, Decimal("0.00")),
                    )
                )
        for project in self.projects:
            if not project.is_landed:
                project.planned_investment = Decimal(self.rng.randrange(300, 3000) * 10000)
        Project.objects.bulk_update(self.projects, ["planned_investment"])
        Investment.objects.bulk_create(rows, batch_size=2000)
        return len(rows)

    def _cells(
        self,
        total: Decimal,
        months: list[date],
        sources: list[FundSource],
        source_weights: list[Decimal],
    ) -> dict:
        month_weights = [Decimal(self.rng.randrange(5, 20)) for _ in months]
        cells = {}
        for month, month_amount in zip(months, split(total, month_weights), strict=True):
            for source, amount in zip(sources, split(month_amount, source_weights), strict=True):
                if amount:
                    cells[(month, source)] = amount
        return cells

    # — resources, households, incomes —
    def build_resources(self) -> None:
        k = self.kinds
        rows = []
        for village in self.paired_villages + self.unpaired_villages:
            rows.append(
                Resource(
                    village=village,
                    direction="offers",
                    kind=k["arable_land"],
                    quantity=Decimal(self.rng.randrange(100, 2500)),
                    unit="亩",
                )
            )
            rows.append(
                Resource(
                    village=village,
                    direction="offers",
                    kind=k["labour"],
                    quantity=Decimal(self.rng.randrange(40, 400)),
                    unit="人",
                )
            )
            for code, low, high in (
                ("abandoned_land", 50, 800),
                ("idle_courtyard", 2, 30),
                ("specialty_product", 20, 500),
                ("tourism_asset", 1, 5),
                ("idle_factory", 300, 3000),
            ):
                if self.rng.random() < 0.35:
                    rows.append(
                        Resource(
                            village=village,
                            direction="offers",
                            kind=k[code],
                            quantity=Decimal(self.rng.randrange(low, high)),
                            unit=k[code].default_unit,
                        )
                    )
        shijiaota = self.named[SHIJIAOTA]
        rows.append(
            Resource(
                village=shijiaota,
                direction="offers",
                kind=k["abandoned_land"],
                quantity=Decimal("1000.00"),
                unit="亩",
                note="撂荒地1000余亩，已由龙华生态农业基地盘活",
            )
        )
        rows.append(
            Resource(
                village=self.named[QIAOJIA],
                direction="offers",
                kind=k["specialty_product"],
                quantity=Decimal("800.00"),
                unit="吨",
                note="红枣",
            )
        )
        for enterprise in self.enterprises:
            for code in self.rng.sample(
                [
                    "arable_land",
                    "labour",
                    "specialty_product",
                    "idle_factory",
                    "abandoned_land",
                    "tourism_asset",
                ],
                2,
            ):
                rows.append(
                    Resource(
                        enterprise=enterprise,
                        direction="needs",
                        kind=k[code],
                        quantity=Decimal(self.rng.randrange(20, 1500)),
                        unit=k[code].default_unit,
                    )
                )
            code = self.rng.choice(["capital", "technology", "market_channel"])
            rows.append(
                Resource(
                    enterprise=enterprise,
                    direction="offers",
                    kind=k[code],
                    quantity=Decimal(self.rng.randrange(1, 500)),
                    unit=k[code].default_unit,
                )
            )
        Resource.objects.bulk_create(rows, batch_size=2000)

    def personal_data(self, village: Village, n: int) -> dict[str, str]:
        """Made-up identity numbers (of the village's county, with a right check digit),
        phones and accounts: the pages show them masked, as they would real ones."""
        born = date(
            self.rng.randrange(1950, 1995), self.rng.randrange(1, 13), self.rng.randrange(1, 29)
        )
        return {
            "id_number": with_id_check(
                f"{village.code[:6]}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
            ),
            "phone": f"1{self.rng.choice('35789')}{self.rng.randrange(10**9):09d}",
            "bank_account": f"6228{self.rng.randrange(10**15):015d}",
        }

    def build_households_and_incomes(self) -> None:
        surnames = "王李张刘陈杨赵黄周吴"
        for village in self.named.values():
            groups = VillageGroup.objects.bulk_create(
                [VillageGroup(village=village, name=f"第{n}村民小组") for n in (1, 2, 3)]
            )
            Household.objects.bulk_create(
                [
                    Household(
                        village=village,
                        group=groups[n % 3],
                        number=f"{n:03d}",
                        head_name=f"{surnames[n % 10]}示例{n:02d}",
                        members=self.rng.randrange(1, 7),
                        **self.personal_data(village, n),
                        **_poverty_status(n),
                    )
                    for n in range(1, 21)
                ]
            )
        incomes = []
        for village in self.paired_villages:
            for year in (2023, 2024, 2025):
                amount = Decimal(self.rng.randrange(50, 400) * 1000)
                incomes.append(VillageIncome(village=village, year=year, amount=amount))
        shijiaota = {(income.village_id, income.year): income for income in incomes}
        for year, amount in ((2024, "520000.00"), (2025, "560000.00")):
            shijiaota[(self.named[SHIJIAOTA].pk, year)].amount = Decimal(amount)
        VillageIncome.objects.bulk_create(incomes)

    def build_equity(self) -> None:
        """西葫芦素村: village collective 10% + village group 10% + enterprise 41% + villagers 39%."""
        village = self.named[XIHULUSU]
        project = Project.objects.get(villages=village)
        shares = (
            (Stake.Holder.VILLAGE_COLLECTIVE, {"village": village}, "10.00"),
            (
                Stake.Holder.VILLAGE_GROUP,
                {"village_group": village.groups.order_by("name").first()},
                "10.00",
            ),
            (Stake.Holder.ENTERPRISE, {"enterprise": project.enterprises.get()}, "41.00"),
            (Stake.Holder.VILLAGERS, {"village": village}, "39.00"),
        )
        save_structure(
            EquityStructure(
                project=project, valid_from=project.start_date, note="村企联营股权结构"
            ),
            [Stake(holder=holder, share=Decimal(share), **who) for holder, who, share in shares],
            self.officer,
        )

    def build_shijiaota_equity(self) -> None:
        """The Longhua base shares its profit with 石角塔村's collective (shares invented)."""
        village = self.named[SHIJIAOTA]
        project = Project.objects.get(villages=village)
        save_structure(
            EquityStructure(
                project=project, valid_from=project.start_date, note="集体收益用于养老院和村史馆"
            ),
            [
                Stake(
                    holder=Stake.Holder.VILLAGE_COLLECTIVE, village=village, share=Decimal("30.00")
                ),
                Stake(
                    holder=Stake.Holder.ENTERPRISE,
                    enterprise=project.enterprises.get(),
                    share=Decimal("70.00"),
                ),
            ],
            self.officer,
        )

    def build_employment(self) -> None:
        """石角塔村: the villagers working at the Longhua base earn 6,400 yuan a month."""
        village = self.named[SHIJIAOTA]
        project = Project.objects.get(villages=village)
        Employment.objects.bulk_create(
            Employment(
                project=project,
                household=household,
                worker_name=household.head_name,
                role="大棚种植",
                monthly_wage=Decimal("6400.00"),
                start_month=date(2023, 6, 1),
            )
            for household in village.households.order_by("number")[:12]
        )

    def build_land(self) -> None:
        """石角塔村 leases its 1,000 mu of abandoned land to the Longhua base (rent invented)."""
        village = self.named[SHIJIAOTA]
        transfer = save_land_transfer(
            LandTransfer(
                project=Project.objects.get(villages=village),
                village=village,
                kind=self.kinds["abandoned_land"],
                area=Decimal("1000.00"),
                rent_per_mu=Decimal("200.00"),
                escalation_percent=Decimal("5.00"),
                escalation_every_years=5,
                start_date=date(2023, 3, 1),
                end_date=date(2038, 3, 1),
            ),
            self.officer,
        )
        # Paid each March, the 2026 lease year in part so far.
        for lease_year, paid_on, amount in (
            (1, date(2023, 3, 10), "200000.00"),
            (2, date(2024, 3, 8), "200000.00"),
            (3, date(2025, 3, 12), "200000.00"),
            (4, date(2026, 3, 10), "120000.00"),
        ):
            record_rent_payment(
                RentPayment(
                    transfer=transfer,
                    lease_year=lease_year,
                    paid_on=paid_on,
                    amount=Decimal(amount),
                ),
                self.officer,
            )

    def build_handover(self) -> None:
        """倪家沟村: after the 15-year income period the facilities pass free to the collective."""
        village = self.named[NIJIAGOU]
        project = Project.objects.get(villages=village)
        handover = Handover.objects.create(
            project=project, receiving_village=village, due_date=project.handover_date
        )
        HandoverAsset.objects.bulk_create(
            HandoverAsset(handover=handover, name=name, quantity=quantity, value=Decimal(value))
            for name, quantity, value in (
                ("高标准农田", "1200亩", "4800000.00"),
                ("滴灌与泵站", "1套", "1350000.00"),
                ("机耕道路", "6.5公里", "980000.00"),
            )
        )

    def build_orders(self) -> None:
        """The state-assets group orders 乔家村's red jujubes for its plant (figures invented)."""
        village = self.named[QIAOJIA]
        order = Order.objects.create(
            enterprise=self.enterprises[1],
            project=Project.objects.get(villages=village),
            product="红枣",
            quantity=Decimal("300.00"),
            unit="吨",
            unit_price=Decimal("9000.00"),
            season_start=date(2025, 9, 1),
            season_end=date(2025, 12, 31),
        )
        Delivery.objects.bulk_create(
            Delivery(
                order=order,
                village=village,
                delivered_on=day,
                quantity=Decimal(quantity),
                amount_paid=Decimal(paid),
            )
            for day, quantity, paid in (
                (date(2025, 9, 20), "80.00", "720000.00"),
                (date(2025, 10, 15), "120.00", "1080000.00"),
                (date(2025, 11, 10), "64.50", "0.00"),
            )
        )

    def build_distributions(self) -> None:
        _posted_dividends(Project.objects.get(villages=self.named[XIHULUSU]), 2025, "1280000.00")
        _posted_dividends(Project.objects.get(villages=self.named[SHIJIAOTA]), 2025, "1200000.00")

    def build_meetings(self) -> None:
        """A joint meeting two months ago and the items it assigned (one overdue)."""
        today = timezone.localdate()
        held = today - timedelta(days=60)
        meeting = Meeting.objects.create(
            held_on=held,
            topic="村企结对帮扶联席会议（第三次）",
            attendees="工作专班、市农业农村局、市财政局、各镇（街道）分管负责人",
            minutes="通报前三季度结对帮扶进展，研究项目用地、资金拨付和示范创建事项。",
            decisions="一、加快项目用地审批；二、按季度拨付衔接资金；三、开展示范村评选。",
        )
        meeting.departments.set(Department.objects.filter(code__in=("agriculture", "finance")))
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    meeting=meeting,
                    title="完成红枣加工厂配套冷库用地报批",
                    owner_town=self.towns["大柳塔镇"],
                    owner_name="镇分管负责人",
                    deadline=held + timedelta(days=30),
                    progress="已完成选址，正在准备报批材料。",
                ),
                ActionItem(
                    meeting=meeting,
                    title="拨付第四季度衔接资金",
                    owner_department=Department.objects.get(code="finance"),
                    deadline=today + timedelta(days=30),
                ),
                ActionItem(
                    meeting=meeting,
                    title="上报示范村推荐名单",
                    owner_town=self.towns["孙家岔镇"],
                    deadline=held + timedelta(days=20),
                    status=ActionItem.Status.DONE,
                    done_on=held + timedelta(days=15),
                ),
            ]
        )

    def build_approvals(self) -> None:
        """A green-channel case accepted a month ago with two documents missing (容缺受理):
        one since supplied by upload, the other past its promised date (a red card)."""
        today = timezone.localdate()
        applied = today - timedelta(days=30)
        project = Project.objects.filter(status=Project.Status.APPROVING).order_by("code").first()
        officer = User.objects.get(username="taskforce")
        approval = open_approval(project, green_channel=True, applied_on=applied, user=officer)
        step = approval.steps.select_related("stage").first()
        proposal, feasibility = approval.documents.filter(kind__stage=step.stage).order_by(
            "kind__sort_order"
        )
        accept_step(
            step,
            officer,
            {
                proposal.pk: (applied + timedelta(days=10), "示例镇经办人"),
                feasibility.pk: (applied + timedelta(days=20), "示例企业项目负责人"),
            },
            today=applied,
        )
        # Supplied by whoever works on the project: its village's cadre, else its town.
        supplier = (
            User.objects.filter(role=Role.VILLAGE, village__in=project.villages.all()).first()
            or User.objects.filter(role=Role.TOWN, town__villages__projects=project).first()
            or officer
        )
        supply_document(proposal, ContentFile(DEMO_PDF, name="项目建议书.pdf"), supplier)
        # The timeline tells the story on its dates, not on the day the demo was loaded.
        applied_at = timezone.make_aware(datetime.combine(applied, time(10)))
        approval.events.exclude(kind=ApprovalEvent.Kind.SUPPLIED).update(at=applied_at)
        approval.events.filter(kind=ApprovalEvent.Kind.SUPPLIED).update(
            at=applied_at + timedelta(days=8)
        )
        ApprovalDocument.objects.filter(pk=proposal.pk).update(
            supplied_at=applied_at + timedelta(days=8)
        )

    def build_funds(self) -> None:
        """This year's integrated funds: three vertical programmes and four departments'
        budgets, allocated to a third of the projects and partly disbursed."""
        year = timezone.localdate().year
        departments = {d.code: d for d in Department.objects.all()}
        sources = [
            ("中央财政衔接推进乡村振兴补助资金", "vertical", "central", "finance", "120000000.00"),
            (
                "省级乡村振兴专项资金",
                "vertical",
                "provincial",
                "rural_revitalisation",
                "60000000.00",
            ),
            ("市级村企结对配套资金", "vertical", "city", "finance", "40000000.00"),
            ("农业产业发展资金", "horizontal", "", "agriculture", "30000000.00"),
            ("林业生态建设资金", "horizontal", "", "forestry", "12000000.00"),
            ("农田水利建设资金", "horizontal", "", "water", "18000000.00"),
            ("文化旅游发展资金", "horizontal", "", "culture_tourism", "10000000.00"),
        ]
        budgets = []
        for name, kind, level, department, amount in sources:
            source = FundSource.objects.create(
                name=name, kind=kind, level=level, department=departments[department]
            )
            budgets.append(
                save_budget(
                    FundBudget(source=source, year=year, amount=Decimal(amount)), self.officer
                )
            )
        projects = list(Project.objects.filter(status__in=SUPERVISED).order_by("code"))
        for n, project in enumerate(projects[::3]):
            for budget in (budgets[n % 3], budgets[3 + n % 4]):
                share = Decimal(self.rng.randrange(5, 30)) / 100
                amount = (project.planned_investment * share / 2).quantize(Decimal("1000"))
                amount = min(amount, budget.remaining)
                if amount <= 0:
                    continue
                allocation = save_allocation(
                    Allocation(
                        budget=budget,
                        project=project,
                        amount=amount,
                        allocated_on=date(year, 1 + n % 6, 15),
                        purpose="产业项目建设补助",
                    ),
                    self.officer,
                )
                budget.refresh_from_db()
                if n % 4 != 3:
                    save_disbursement(
                        Disbursement(
                            allocation=allocation,
                            amount=(amount * Decimal("0.6")).quantize(Decimal("0.01")),
                            paid_on=date(year, 2 + n % 6, 10),
                            voucher=f"拨{year}-{n + 1:03d}",
                        ),
                        self.officer,
                    )
        # Paid before the platform: approved, but for two of agriculture's still waiting
        # for a second look (the demo's department account can approve them).
        waiting = Disbursement.objects.filter(
            allocation__budget__source__department__code="agriculture"
        ).order_by("-pk")[:2]
        Disbursement.objects.exclude(pk__in=list(waiting.values_list("pk", flat=True))).update(
            status=Disbursement.Status.APPROVED
        )

    def build_policies(self) -> None:
        year = timezone.localdate().year
        sources = {source.name: source for source in FundSource.objects.all()}
        policies = [
            (
                "关于支持村企结对产业项目发展的若干措施",
                "市人民政府",
                f"示政发〔{year - 1}〕12号",
                "对村企结对新建产业项目按投资额给予补助，优先支持示范项目。",
                "市级村企结对配套资金",
                {"min_investment": Decimal("5000000.00")},
                [],
                [],
            ),
            (
                "农产品加工业提升行动扶持办法",
                "市农业农村局",
                f"示农发〔{year}〕3号",
                "支持农产品初加工、精深加工设施建设和冷链物流。",
                "农业产业发展资金",
                {},
                ["processing"],
                [],
            ),
            (
                "农文旅融合发展示范项目奖补办法",
                "市文化和旅游局",
                f"示文旅发〔{year}〕7号",
                "对评定为示范的农文旅融合项目给予一次性奖补。",
                "文化旅游发展资金",
                {"demonstration_only": True},
                ["agri_culture_tourism"],
                ["agri_tourism"],
            ),
            (
                "订单农业保险保费补贴政策",
                "市财政局",
                f"示财农〔{year}〕21号",
                "对订单合作项目的农业保险保费给予补贴。",
                None,
                {},
                [],
                ["orders"],
            ),
        ]
        for title, issuer, number, supports, source, terms, industries, models_ in policies:
            policy = Policy.objects.create(
                title=title,
                issuer=issuer,
                document_number=number,
                issued_on=date(year, 1, 10),
                valid_until=date(year + 2, 12, 31),
                supports=supports,
                fund_source=sources.get(source),
                **terms,
            )
            policy.industries.set([self.industries[code] for code in industries])
            policy.cooperation_models.set([self.models[code] for code in models_])

    def build_talent(self) -> None:
        """Four university experts, an advisor in each demonstration town's villages and
        the named villages, and this year's services and trainings."""
        today = timezone.localdate()
        experts = [
            Expert.objects.create(
                name=person.name, institution="示例农业大学", field=field, title="教授"
            )
            for person, field in zip(
                self.experts, ("果树栽培", "设施农业", "农产品加工", "乡村旅游规划"), strict=True
            )
        ]
        served = [
            self.named[SHIJIAOTA],
            self.named[NIJIAGOU],
            self.named[QIAOJIA],
            self.named[XIHULUSU],
            *[v for v in self.paired_villages if v.town.is_demonstration][:8],
        ]
        pairing_of = {pairing.village_id: pairing for pairing in self.pairings}
        advisors = []
        for n, village in enumerate(dict.fromkeys(served)):
            pairing = pairing_of[village.pk]
            advisors.append(
                Advisor.objects.create(
                    name=f"示例顾问{n + 1:02d}",
                    enterprise=pairing.enterprise,
                    village=village,
                    term_start=max(pairing.start_date, date(today.year - 1, 1, 1)),
                    term_end=date(today.year + 1, 12, 31),
                )
            )
        kinds = list(Service.Kind)
        services, trainings = [], []
        for n, advisor in enumerate(advisors):
            for k in range(3):
                held = today - timedelta(days=20 + 37 * k + n)
                services.append(
                    Service(
                        kind=kinds[(n + k) % 3],
                        village=advisor.village,
                        advisor=advisor if k else None,
                        expert=None if k else experts[n % len(experts)],
                        held_on=held,
                        topic=("村集体经济发展路径", "大棚蔬菜病虫害防治", "合作社财务管理")[k],
                        attendance=self.rng.randrange(15, 80),
                    )
                )
            trainings.append(
                Training(
                    village=advisor.village,
                    held_on=today - timedelta(days=45 + n),
                    topic=("农村电商技能培训", "红枣加工技术培训", "乡村旅游服务培训")[n % 3],
                    trainees=self.rng.randrange(20, 60),
                    hours=self.rng.choice((8, 16, 24)),
                    trainer="示例农业大学",
                    expert=experts[n % len(experts)],
                )
            )
        Service.objects.bulk_create(services)
        Training.objects.bulk_create(trainings)

    def build_monthly_reports(self) -> None:
        """The reports of the projects being built or run since the last closed quarter
        began: most on time and accepted, some late, a few missing (so the board shows
        cards of every colour)."""
        today = timezone.localdate()
        due_day = RuleSetting.objects.get(rule=RuleSetting.Rule.REPORTS).due_day
        last = last_due_month(today, due_day)
        quarter = last_closed_quarter(today, due_day)
        months = [month for month in months_back(last, 6) if month >= quarter[0]]
        reporters = User.objects.filter(role__in=(Role.VILLAGE, Role.ENTERPRISE))
        reporter = reporters.first()
        reports = []
        projects = Project.objects.filter(status__in=SUPERVISED).order_by("code")
        # An accepted report's investment is the month's completed investment (one figure).
        completed = {
            (project, month): total
            for project, month, total in Investment.objects.filter(month__in=months)
            .values("project", "month")
            .annotate(total=Sum("completed_amount"))
            .values_list("project", "month", "total")
        }
        for n, project in enumerate(projects):
            for month in months:
                due = report_due_on(month, due_day)
                if n % 23 == 5 and month != months[-1]:
                    continue  # missing the last two months: a red card
                if n % 11 == 3 and month == months[0]:
                    continue  # missing the last month: a yellow card
                late = n % 13 == 7 and month == months[0]
                submitted = (
                    due + timedelta(days=3)
                    if late
                    else due - timedelta(days=self.rng.randrange(1, 9))
                )
                reports.append(
                    MonthlyReport(
                        project=project,
                        month=month,
                        investment_completed=completed.get((project.pk, month), Decimal("0.00")),
                        milestones="按计划推进",
                        output_value=Decimal(self.rng.randrange(10, 300) * 10000),
                        sales=Decimal(self.rng.randrange(5, 250) * 10000),
                        status=MonthlyReport.Status.ACCEPTED,
                        submitted_at=timezone.make_aware(datetime.combine(submitted, time(9))),
                        submitted_by=reporter,
                    )
                )
        MonthlyReport.objects.bulk_create(reports, batch_size=2000)
        for month in months:
            reported = [report.project_id for report in reports if report.month == month]
            Investment.objects.filter(project__in=reported, month=month).update(reported=True)
        # The monthly evaluation the day after last month's reports were due, then today's.
        evaluate_cards(report_due_on(last, due_day) + timedelta(days=1))
        evaluate_cards(today)

    def build_instructions(self) -> None:
        """The demo leader's instructions (批示): one answered and waiting for them to close,
        one on a red card for its town to answer, one for a department."""
        today = timezone.localdate()
        pairing = Pairing.objects.get(village=self.named[SHIJIAOTA], status=Pairing.Status.ACTIVE)
        leader = pairing.leader
        card = (
            Card.objects.filter(status=Card.Status.OPEN, colour=Card.Colour.RED)
            .order_by("town__name", "pk")
            .first()
        )
        project = Project.objects.filter(villages=self.named[SHIJIAOTA]).order_by("code").first()
        Instruction.objects.bulk_create(
            [
                Instruction(
                    leader=leader,
                    pairing=pairing,
                    text="请大柳塔镇督促企业按月足额发放务工工资，年底前报送工资发放台账。",
                    deadline=today + timedelta(days=10),
                    answer_town=pairing.village.town,
                    given_on=today - timedelta(days=20),
                    status=Instruction.Status.ANSWERED,
                    answer="已核实11月工资于12月1日足额发放，工资发放台账已报工作专班。",
                    answered_on=today - timedelta(days=2),
                ),
                *(
                    [
                        Instruction(
                            leader=leader,
                            card=card,
                            text="限期整改：补报所缺月报，说明原因并落实责任人。",
                            deadline=today + timedelta(days=7),
                            answer_town=card.town,
                            given_on=today - timedelta(days=3),
                        )
                    ]
                    if card
                    else []
                ),
                Instruction(
                    leader=leader,
                    project=project,
                    text="请农业农村局协调衔接资金按工程进度拨付，不得拖欠。",
                    deadline=today + timedelta(days=14),
                    answer_department=Department.objects.get(code="agriculture"),
                    given_on=today - timedelta(days=5),
                ),
            ]
        )

    def build_evaluation(self) -> None:
        """This year's annual evaluation with the default indicators and weights."""
        year = timezone.localdate().year
        save_scheme(
            EvaluationScheme(year=year, name=f"{year}年度村企结对综合评价"),
            [
                EvaluationIndicator(code=code, weight=Decimal(weight))
                for code, weight in DEFAULT_WEIGHTS.items()
            ],
            self.officer,
        )

    def build_awards(self) -> None:
        """石角塔村 nominated a demonstration village (approved), and last year's awards."""
        year = timezone.localdate().year
        Nomination.objects.create(
            year=year,
            kind=Nomination.Kind.VILLAGE,
            village=self.named[SHIJIAOTA],
            reason="盘活撂荒地1000余亩，村集体年收入超50万元，带动务工村民月收入6400元。",
            status=Nomination.Status.APPROVED,
        )
        project = Project.objects.get(villages=self.named[SHIJIAOTA])
        Award.objects.create(
            year=year,
            title="优秀结对帮扶企业",
            recipient=str(project.enterprises.get()),
            enterprise=project.enterprises.get(),
            awarded_on=date(year, 1, 18),
        )

    # — one account per role —
    def build_accounts(self) -> None:
        for account in demo_accounts(self):
            served = account.pop("served", ())
            user = User(**account)
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.served_villages.set(served)


def _poverty_status(n: int) -> dict:
    """Four of each village's twenty households lifted out of poverty (脱贫户), two under
    monitoring (监测户), the rest ordinary."""
    if n % 7 == 0:
        category = Household.Monitoring.UNSTABLE if n == 7 else Household.Monitoring.MARGINAL
        return {
            "status": Household.Status.MONITORED,
            "monitoring_category": category,
            "status_since": date(2024, 3, 1),
        }
    if n % 5 == 0:
        return {"status": Household.Status.LIFTED, "status_since": date(2020, 12, 31)}
    return {}


def _posted_dividends(project: Project, year: int, profit: str) -> None:
    """Prepared by the task force, approved by a city leader, posted: the four-eyes path."""
    taskforce = User.objects.get(username="taskforce")
    distribution = prepare_distribution(project, year, Decimal(profit), taskforce)
    approve_distribution(distribution, User.objects.get(username="leader"))
    post_distribution(distribution, taskforce)


def demo_accounts(builder: ProgrammeBuilder) -> list[dict]:
    daliuta = builder.towns["大柳塔镇"]
    return [
        {
            "username": "taskforce",
            "first_name": "工作专班",
            "role": Role.TASKFORCE,
            "person": builder.taskforce[0],
        },
        {
            "username": "leader",
            "first_name": "市级领导",
            "role": Role.LEADER,
            "person": builder.leaders[0],
        },
        {
            "username": "agriculture",
            "first_name": "农业农村局",
            "role": Role.DEPARTMENT,
            "department": Department.objects.get(code="agriculture"),
        },
        {"username": "daliuta", "first_name": "大柳塔镇", "role": Role.TOWN, "town": daliuta},
        {
            "username": "shijiaota",
            "first_name": "石角塔村",
            "role": Role.VILLAGE,
            "village": builder.named[SHIJIAOTA],
        },
        {
            "username": "longhua",
            "first_name": "龙华",
            "role": Role.ENTERPRISE,
            "enterprise": builder.enterprises[0],
        },
        {
            "username": "advisor",
            "first_name": "顾问",
            "role": Role.ADVISOR,
            "person": builder.advisors[0],
            "served": [builder.named[SHIJIAOTA], builder.named[NIJIAGOU]],
        },
        {
            "username": "expert",
            "first_name": "专家",
            "role": Role.EXPERT,
            "person": builder.experts[0],
            "served": [builder.named[QIAOJIA]],
        },
    ]


def build() -> Built:
    return ProgrammeBuilder().build()
