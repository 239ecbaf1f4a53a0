"""Two halves of a programme, A and B, and one user per role scoped to side A.

The scoping matrix checks every role against every model: a user scoped to A sees A's
rows and gets 404 for B's, and may write only what DESIGN §1 lets its role write.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile

from cunqi.benefits.models import (
    Delivery,
    Employment,
    LandTransfer,
    Order,
    RentPayment,
    VillagerWeight,
)
from cunqi.benefits.services import (
    prepare_distribution,
    record_rent_payment,
    save_land_transfer,
)
from cunqi.core import wordtemplates
from cunqi.core.models import (
    CalendarDay,
    CooperationModel,
    Department,
    Dimension,
    DocumentTemplate,
    Industry,
    ResourceKind,
)
from cunqi.core.roles import Role
from cunqi.funds.models import Allocation, Disbursement, FundBudget, FundSource, Policy
from cunqi.funds.services import save_allocation, save_budget, save_disbursement
from cunqi.projects.models import (
    ApprovalStage,
    DocumentKind,
    Handover,
    HandoverAsset,
    ProjectApplication,
)
from cunqi.projects.services import open_approval
from cunqi.supervision.models import (
    ActionItem,
    Award,
    Bulletin,
    Card,
    DemonstrationCriteria,
    EvaluationIndicator,
    EvaluationScheme,
    Instruction,
    Meeting,
    MonthlyReport,
    Nomination,
    QuarterlyReview,
    ReportAttachment,
    RuleSetting,
)
from cunqi.supervision.services import DEFAULT_WEIGHTS, save_scheme
from cunqi.talent.models import Advisor, Expert, Service, Training
from tests import factories

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Side:
    zone: object
    town: object
    village: object
    income: object
    group: object
    household: object
    enterprise: object
    leader: object
    pairing: object
    project: object
    investment: object
    village_resource: object
    enterprise_resource: object
    equity_structure: object
    distribution: object
    employment: object
    land_transfer: object
    handover: object
    order: object
    delivery: object
    handover_asset: object
    rent_payment: object
    villager_weight: object
    monthly_report: object
    card: object
    meeting: object
    nomination: object
    quarterly_review: object
    action_item: object
    instruction: object
    approval: object
    approval_document: object
    fund_source: object
    fund_budget: object
    allocation: object
    disbursement: object
    advisor: object
    application: object
    service: object
    training: object
    report_attachment: object


def build_side(label: str) -> Side:
    zone = factories.ZoneFactory(name=f"片区{label}")
    town = factories.TownFactory(zone=zone, name=f"镇{label}")
    village = factories.VillageFactory(town=town, name=f"村{label}")
    enterprise = factories.EnterpriseFactory(name=f"企业{label}")
    leader = factories.PersonFactory(name=f"领导{label}")
    pairing = factories.PairingFactory(village=village, enterprise=enterprise, leader=leader)
    project = factories.ProjectFactory(
        villages=[village], enterprises=[enterprise], name=f"项目{label}"
    )
    group = factories.VillageGroupFactory(village=village)
    household = factories.HouseholdFactory(village=village, group=group)
    structure = factories.equity_structure(project, village, enterprise, group=group)
    handover = Handover.objects.create(
        project=project, receiving_village=village, due_date=date(2039, 1, 1)
    )
    order = Order.objects.create(
        enterprise=enterprise,
        product=f"红枣{label}",
        quantity=Decimal("100.00"),
        unit="吨",
        unit_price=Decimal("8000.00"),
        season_start=date(2025, 9, 1),
        season_end=date(2025, 12, 31),
    )
    meeting = Meeting.objects.create(held_on=date(2026, 5, 8), topic=f"联席会议{label}")
    village_resource = factories.ResourceFactory(village=village)
    land_transfer = save_land_transfer(
        LandTransfer(
            project=project,
            village=village,
            household=household,
            kind=ResourceKind.objects.get(code="arable_land"),
            area=Decimal("10.00"),
            rent_per_mu=Decimal("300.00"),
            start_date=date(2024, 1, 1),
            end_date=date(2034, 1, 1),
        ),
        factories.task_force(),
    )
    monthly_report = MonthlyReport.objects.create(project=project, month=date(2026, 5, 1))
    approval = open_approval(
        project, green_channel=True, applied_on=date(2026, 5, 1), user=factories.task_force()
    )
    # One document per side, so that the matrix can count what each role sees.
    approval.documents.exclude(pk=approval.documents.first().pk).delete()
    # Side A's money is the water bureau's (the matrix's department user), B's forestry's.
    fund_source = FundSource.objects.create(
        name=f"资金{label}",
        kind=FundSource.Kind.HORIZONTAL,
        department=Department.objects.get(code="water" if label == "A" else "forestry"),
    )
    fund_budget = save_budget(
        FundBudget(source=fund_source, year=2026, amount=Decimal("1000.00")), factories.task_force()
    )
    allocation = save_allocation(
        Allocation(
            budget=fund_budget,
            project=project,
            amount=Decimal("500.00"),
            allocated_on=date(2026, 3, 1),
        ),
        factories.task_force(),
    )
    advisor = Advisor.objects.create(
        name=f"顾问{label}",
        enterprise=enterprise,
        village=village,
        term_start=pairing.start_date,
        term_end=date(2026, 12, 31),
    )
    return Side(
        zone=zone,
        town=town,
        village=village,
        income=factories.VillageIncomeFactory(village=village, year=2024),
        group=group,
        household=household,
        enterprise=enterprise,
        leader=leader,
        pairing=pairing,
        project=project,
        investment=factories.InvestmentFactory(project=project, month=date(2024, 5, 1)),
        village_resource=village_resource,
        enterprise_resource=factories.ResourceFactory(village=None, enterprise=enterprise),
        equity_structure=structure,
        employment=Employment.objects.create(
            project=project,
            household=household,
            worker_name=f"工人{label}",
            monthly_wage=Decimal("6400.00"),
            start_month=date(2025, 1, 1),
        ),
        handover=handover,
        order=order,
        delivery=Delivery.objects.create(
            order=order,
            village=village,
            household=household,
            delivered_on=date(2025, 10, 8),
            quantity=Decimal("2.50"),
            amount_paid=Decimal("10000.00"),
        ),
        handover_asset=HandoverAsset.objects.create(
            handover=handover, name=f"资产{label}", value=Decimal("100.00")
        ),
        land_transfer=land_transfer,
        rent_payment=record_rent_payment(
            RentPayment(
                transfer=land_transfer,
                lease_year=1,
                paid_on=date(2024, 3, 1),
                amount=Decimal("1500.00"),
            ),
            factories.task_force(),
        ),
        meeting=meeting,
        nomination=Nomination.objects.create(
            year=2026, kind=Nomination.Kind.VILLAGE, village=village, reason=f"示范{label}"
        ),
        quarterly_review=QuarterlyReview.objects.create(
            year=2026,
            quarter=2,
            pairing=pairing,
            progress_score=35,
            benefit_score=25,
            work_score=26,
            comments=f"进展较快{label}",
            reviewer="市级领导",
            published=True,
        ),
        action_item=ActionItem.objects.create(
            meeting=meeting, title=f"督办{label}", owner_town=town, deadline=date(2026, 7, 1)
        ),
        monthly_report=monthly_report,
        instruction=Instruction.objects.create(
            leader=leader,
            pairing=pairing,
            text=f"加快项目进度{label}",
            deadline=date(2026, 7, 1),
            answer_town=town,
            given_on=date(2026, 6, 1),
        ),
        card=Card.objects.create(
            rule=RuleSetting.Rule.INVESTMENT,
            colour=Card.Colour.YELLOW,
            subject_key=f"project:{project.pk}",
            project=project,
            town=town,
            reason="investment_behind",
            figures={"percent": "80.0", "completed": "80.00", "planned": "100.00"},
            issued_on=date(2026, 6, 1),
            evaluated_on=date(2026, 6, 1),
        ),
        villager_weight=VillagerWeight.objects.create(
            structure=structure, household=household, weight=Decimal("2.00")
        ),
        approval=approval,
        fund_source=fund_source,
        fund_budget=fund_budget,
        allocation=allocation,
        disbursement=save_disbursement(
            Disbursement(allocation=allocation, amount=Decimal("100.00"), paid_on=date(2026, 4, 1)),
            factories.task_force(),
        ),
        advisor=advisor,
        service=Service.objects.create(
            kind=Service.Kind.GUIDANCE,
            village=village,
            advisor=advisor,
            held_on=date(2026, 5, 1),
            topic=f"指导{label}",
        ),
        report_attachment=ReportAttachment.objects.create(
            report=monthly_report,
            file=ContentFile(b"\x89PNG\r\n\x1a\n", name="photo.png"),
            file_name=f"现场{label}.png",
        ),
        training=Training.objects.create(
            village=village, held_on=date(2026, 6, 1), topic=f"培训{label}", trainees=30, hours=6
        ),
        approval_document=approval.documents.first(),
        application=application(pairing, label),
        distribution=prepare_distribution(
            project, 2024, Decimal("10000.00"), factories.UserFactory(role="town", town=town)
        ),
    )


def application(pairing, label: str) -> ProjectApplication:
    """A draft for the library, with its meeting record (so that its file can be read)."""
    draft = ProjectApplication.objects.create(
        pairing=pairing,
        year=2026,
        name=f"申报{label}",
        content="冷链仓储",
        location=pairing.village.name,
        industry=Industry.objects.get(code="processing"),
        investment_estimate=Decimal("800.00"),
        from_enterprise=Decimal("800.00"),
        linkage="务工",
        households_linked=10,
        poor_households_linked=2,
        performance_targets="受益户数 10",
        meeting_on=date(2026, 3, 1),
        board_posted_on=date(2026, 3, 2),
        file=ContentFile(PDF_BYTES, name="minutes.pdf"),
        file_name=f"会议记录{label}.pdf",
    )
    draft.cooperation_models.set(CooperationModel.objects.all()[:1])
    return draft


def build_users(a: Side) -> dict:
    user = factories.UserFactory
    advisor = user(role=Role.ADVISOR)
    advisor.served_villages.set([a.village])
    expert = user(role=Role.EXPERT)
    expert.served_villages.set([a.village])
    return {
        Role.TASKFORCE: user(role=Role.TASKFORCE),
        Role.LEADER: user(role=Role.LEADER, person=a.leader),
        Role.DEPARTMENT: user(
            role=Role.DEPARTMENT, department=Department.objects.get(code="water")
        ),
        Role.TOWN: user(role=Role.TOWN, town=a.town),
        Role.VILLAGE: user(role=Role.VILLAGE, village=a.village),
        Role.ENTERPRISE: user(role=Role.ENTERPRISE, enterprise=a.enterprise),
        Role.ADVISOR: advisor,
        Role.EXPERT: expert,
    }


def policy(side) -> Policy:
    return Policy.objects.get_or_create(
        title="衔接资金支持产业项目", issuer="市财政局", issued_on=date(2026, 1, 1), supports="产业"
    )[0]


def document_template(side) -> DocumentTemplate:
    return DocumentTemplate.objects.get_or_create(
        document="bulletin",
        language="en",
        defaults={"file": ContentFile(wordtemplates.builtin("bulletin"), name="bulletin.docx")},
    )[0]


REFERENCE = {
    "calendar_day": lambda side: CalendarDay.objects.get(day=date(2026, 10, 1)),
    "document_template": document_template,
    "industry": lambda side: Industry.objects.get(code="processing"),
    "cooperation_model": lambda side: CooperationModel.objects.get(code="orders"),
    "dimension": lambda side: Dimension.objects.get(code="talent"),
    "department": lambda side: Department.objects.get(code="forestry"),
    "resource_kind": lambda side: ResourceKind.objects.get(code="labour"),
    "approval_stage": lambda side: ApprovalStage.objects.get(code="land_use"),
    "document_kind": lambda side: DocumentKind.objects.get(code="eia_form"),
    "expert": lambda side: Expert.objects.get_or_create(
        name="示例专家", institution="示例农业大学", field="果树栽培"
    )[0],
    "rule_setting": lambda side: RuleSetting.objects.get(rule=RuleSetting.Rule.LEADER),
    "bulletin": lambda side: Bulletin.objects.get_or_create(month=date(2026, 5, 1))[0],
    "demonstration_criteria": lambda side: DemonstrationCriteria.current(),
    "award": lambda side: Award.objects.get_or_create(
        year=2026, title="优秀结对帮扶企业", recipient="企业", awarded_on=date(2026, 12, 20)
    )[0],
    "evaluation_scheme": lambda side: (
        EvaluationScheme.objects.filter(year=2026).first()
        or save_scheme(
            EvaluationScheme(year=2026, name="2026年度综合评价"),
            [
                EvaluationIndicator(code=code, weight=weight)
                for code, weight in DEFAULT_WEIGHTS.items()
            ],
            factories.task_force(),
        )
    ),
}
