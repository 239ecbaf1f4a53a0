"""The demo's project library: applications of 大柳塔镇's pairings at every step, so that
each account finds one waiting for it (a draft and a returned one for the partners, one for
the town to review, one for the agriculture bureau's joint review, one for the task force
to plan), an entry rolled over from last year's plan, one that left the library, and the
entry of a running project, which the library-only source funds."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from cunqi.accounts.models import User
from cunqi.core.models import CooperationModel, Department
from cunqi.core.roles import Role
from cunqi.funds.models import Allocation, FundBudget, FundSource
from cunqi.funds.services import save_allocation, save_budget
from cunqi.pairing.models import Pairing
from cunqi.projects import services
from cunqi.projects.models import ApplicationEvent, Project, ProjectApplication

# name, content, estimate and its sources (higher level, enterprise, village), households
# linked and of them 脱贫户/监测户, and how far it gets.
APPLICATIONS = (
    (
        "冷链仓储中心",
        "新建冷库 2 座、分拣车间 600 平方米",
        ("600000", "900000", "0"),
        60,
        18,
        "draft",
    ),
    (
        "林下中药材种植基地",
        "种植黄芪、板蓝根 300 亩",
        ("400000", "500000", "100000"),
        45,
        12,
        "returned",
    ),
    ("光伏发电帮扶电站", "村集体屋顶光伏 1 兆瓦", ("1200000", "800000", "0"), 120, 40, "submitted"),
    (
        "手工艺品加工车间",
        "改造闲置校舍为加工车间",
        ("300000", "200000", "50000"),
        30,
        9,
        "town_approved",
    ),
    ("乡村民宿改造", "改造闲置农房 12 院", ("500000", "1300000", "200000"), 24, 6, "in_library"),
    ("小杂粮加工厂", "建设小杂粮初加工生产线", ("800000", "1200000", "0"), 80, 25, "rolled_over"),
    ("观光采摘园", "建设采摘大棚 20 座", ("600000", "600000", "0"), 50, 14, "left"),
    (
        "肉羊标准化养殖场",
        "建设标准化羊舍 3000 平方米",
        ("1000000", "1500000", "500000"),
        90,
        30,
        "planned",
    ),
)
MINUTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def build_library(officer: User) -> None:
    today = timezone.localdate()
    town = User.objects.filter(role=Role.TOWN).order_by("pk").first()
    county = User.objects.filter(role=Role.DEPARTMENT).order_by("pk").first() or officer
    pairings = list(
        Pairing.objects.filter(village__town=town.town, status__in=Pairing.OPEN_STATUSES)
        .select_related("village", "enterprise")
        .order_by("village__name")
    )
    models = list(CooperationModel.objects.order_by("pk"))
    for n, (name, content, sources, linked, poor, step) in enumerate(APPLICATIONS):
        pairing = pairings[n % len(pairings)]
        maker = (
            User.objects.filter(role=Role.VILLAGE, village=pairing.village).first()
            or User.objects.filter(role=Role.ENTERPRISE, enterprise=pairing.enterprise).first()
            or officer
        )
        higher, enterprise, village = (Decimal(part) for part in sources)
        year = today.year - 1 if step == "rolled_over" else today.year
        application = services.door(ProjectApplication).create(
            maker,
            {
                "pairing": pairing,
                "year": year,
                "name": name,
                "content": content,
                "location": pairing.village.name,
                "industry": pairing.enterprise.industry,
                "cooperation_models": [models[n % len(models)]],
                "investment_estimate": higher + enterprise + village,
                "from_higher_level": higher,
                "from_enterprise": enterprise,
                "from_village": village,
                "linkage": "优先吸纳脱贫户、监测户务工；村集体以资金入股按年分红；流转农户土地支付租金。",
                "households_linked": linked,
                "poor_households_linked": poor,
                "performance_targets": (
                    f"产出：按期建成（当年）；效益：带动 {linked} 户增收，其中脱贫户和监测户 "
                    f"{poor} 户；满意度：受益脱贫户满意度 ≥ 95%"
                ),
                "meeting_on": date(year, 1, 10),
                "board_posted_on": date(year, 1, 12),
                "file": ContentFile(MINUTES, name=f"{pairing.village.name}两委会议记录.pdf"),
            },
        )
        if step == "draft":
            continue
        services.submit_application(application, maker)
        if step == "returned":
            services.town_review(
                application,
                town,
                approve=False,
                opinion="投资概算依据不足，请补充测算明细后重新申报。",
            )
            continue
        if step == "submitted":
            continue
        services.town_review(
            application, town, approve=True, opinion="经核实，项目真实必要，同意上报。"
        )
        if step == "town_approved":
            continue
        services.county_review(application, county, approve=True, opinion="经县级联审，同意入库。")
        if step == "in_library":
            continue
        services.plan_application(application, officer, year)
        if step == "rolled_over":
            services.roll_over(officer, year)
        elif step == "left":
            services.leave_library(application, officer, "企业调整投资方向，项目暂缓实施。")
    _fund_from_the_library(officer, _entry_of_a_running_project(town, county, officer), today.year)


def _entry_of_a_running_project(town: User, county: User, officer: User) -> Project:
    """A project of the seed that came through the library before the platform: its entry
    is on record, reviewed and planned, and names it (the seed's 81 projects stay 81)."""
    project = (
        Project.objects.filter(
            villages__town=town.town,
            status__in=(Project.Status.BUILDING, Project.Status.OPERATING),
        )
        .order_by("code")
        .first()
    )
    village, enterprise = project.villages.first(), project.enterprises.first()
    pairing = Pairing.objects.get(village=village, enterprise=enterprise)
    start = project.start_date or timezone.localdate()
    estimate = project.planned_investment
    entry = services.door(ProjectApplication).create(
        officer,
        {
            "pairing": pairing,
            "year": start.year,
            "name": project.name,
            "content": project.description or project.name,
            "location": village.name,
            "industry": project.industry,
            "cooperation_models": list(project.cooperation_models.all()),
            "investment_estimate": estimate,
            "from_enterprise": estimate,
            "linkage": "优先吸纳脱贫户、监测户务工；按股分红。",
            "households_linked": 40,
            "poor_households_linked": 10,
            "performance_targets": "产出：按期建成；效益：带动 40 户增收；满意度 ≥ 95%",
            "meeting_on": start - timedelta(days=90),
            "board_posted_on": start - timedelta(days=88),
            "file": ContentFile(MINUTES, name=f"{village.name}两委会议记录.pdf"),
        },
    )
    services.submit_application(entry, officer)
    services.town_review(entry, town, approve=True, opinion="同意上报。")
    services.county_review(entry, county, approve=True, opinion="同意入库。")
    services.plan_application(entry, officer, start.year)
    ProjectApplication.objects.filter(pk=entry.pk).update(
        status=ProjectApplication.Status.STARTED, project=project
    )
    ApplicationEvent.objects.create(
        application=entry, actor=town, kind=ApplicationEvent.Kind.STARTED, opinion=project.code
    )
    return project


def _fund_from_the_library(officer: User, project: Project, year: int) -> None:
    source = FundSource.objects.create(
        name="衔接推进乡村振兴项目库资金",
        kind=FundSource.Kind.VERTICAL,
        level="city",
        department=Department.objects.get(code="rural_revitalisation"),
        requires_library=True,
        description="只安排给经审核入库的项目。",
    )
    budget = save_budget(
        FundBudget(source=source, year=year, amount=Decimal("5000000.00")), officer
    )
    save_allocation(
        Allocation(
            budget=budget,
            project=project,
            amount=Decimal("1000000.00"),
            allocated_on=timezone.localdate(),
            purpose="项目库项目建设补助",
        ),
        officer,
    )
