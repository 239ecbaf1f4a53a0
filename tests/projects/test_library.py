"""The project library (项目库): an application goes village → town → county into the
library, into a year's plan (rolled over while it waits), and becomes a project, or leaves
with a reason; each step is on its timeline; a source that funds only library projects
refuses any other, through the door, the page and the API alike."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from cunqi.core.models import CooperationModel, Department, Industry
from cunqi.core.roles import Role
from cunqi.funds.models import Allocation, FundBudget, FundSource
from cunqi.funds.services import save_allocation, save_budget
from cunqi.projects import services
from cunqi.projects.models import ApplicationEvent, Project, ProjectApplication
from tests import factories
from tests.i18n import language_client

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
Status, Step = ProjectApplication.Status, ApplicationEvent.Kind


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def pairing():
    return factories.PairingFactory()


@pytest.fixture
def people(pairing):
    water = Department.objects.get(code="water")
    return {
        "village": factories.UserFactory(role=Role.VILLAGE, village=pairing.village),
        "enterprise": factories.UserFactory(role=Role.ENTERPRISE, enterprise=pairing.enterprise),
        "town": factories.UserFactory(role=Role.TOWN, town=pairing.village.town),
        "other_town": factories.UserFactory(role=Role.TOWN, town=factories.TownFactory()),
        "department": factories.UserFactory(role=Role.DEPARTMENT, department=water),
        "taskforce": factories.task_force(),
    }


def values(pairing, **changes) -> dict:
    return {
        "pairing": pairing,
        "year": 2026,
        "name": "冷链仓储中心",
        "content": "建设冷库 2 座",
        "location": pairing.village.name,
        "industry": Industry.objects.get(code="processing"),
        "cooperation_models": [CooperationModel.objects.get(code="orders")],
        "investment_estimate": Decimal("1000000.00"),
        "from_higher_level": Decimal("400000.00"),
        "from_enterprise": Decimal("600000.00"),
        "linkage": "务工、分红",
        "households_linked": 40,
        "poor_households_linked": 12,
        "performance_targets": "受益脱贫户 12 户；满意度 ≥ 95%",
        "meeting_on": date(2026, 3, 1),
        "board_posted_on": date(2026, 3, 3),
        "file": ContentFile(PDF, name="村两委会议记录.pdf"),
        **changes,
    }


def apply(pairing, user, **changes) -> ProjectApplication:
    return services.door(ProjectApplication).create(user, values(pairing, **changes))


def through_the_county(application, people) -> ProjectApplication:
    services.submit_application(application, people["village"])
    services.town_review(application, people["town"], approve=True, opinion="材料真实，同意上报")
    return services.county_review(
        application, people["department"], approve=True, opinion="同意入库"
    )


def test_an_application_goes_into_the_library_a_plan_and_a_project(pairing, people):
    application = apply(pairing, people["village"])
    assert (application.status, application.file_name) == (Status.DRAFT, "村两委会议记录.pdf")
    entry = through_the_county(application, people)
    assert entry.status == Status.IN_LIBRARY
    assert entry.library_code == f"XMK-{timezone.localdate().year}-{entry.pk:05d}"
    assert entry.entered_on == timezone.localdate()
    services.plan_application(entry, people["taskforce"], 2027)
    project = services.start_project(entry, people["town"], "XM-2027-001")
    entry.refresh_from_db()
    assert (entry.status, entry.project) == (Status.STARTED, project)
    assert project.status == Project.Status.PLANNED
    assert project.planned_investment == Decimal("1000000.00")
    assert list(project.villages.all()) == [pairing.village]
    assert list(project.enterprises.all()) == [pairing.enterprise]
    steps = list(entry.events.values_list("kind", "actor__role", "opinion"))
    assert steps == [
        (Step.SUBMITTED, Role.VILLAGE, ""),
        (Step.TOWN_APPROVED, Role.TOWN, "材料真实，同意上报"),
        (Step.COUNTY_APPROVED, Role.DEPARTMENT, "同意入库"),
        (Step.PLANNED, Role.TASKFORCE, "2027"),
        (Step.STARTED, Role.TOWN, "XM-2027-001"),
    ]


def test_returned_applications_are_revised_and_sent_again(pairing, people):
    application = apply(pairing, people["enterprise"])
    services.submit_application(application, people["enterprise"])
    services.town_review(application, people["town"], approve=False, opinion="投资概算偏高")
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    revised = services.door(ProjectApplication).save(
        people["enterprise"],
        application,
        {"investment_estimate": Decimal("900000.00"), "from_enterprise": Decimal("500000.00")},
    )
    services.submit_application(revised, people["enterprise"])
    services.town_review(revised, people["town"], approve=True, opinion="已修改")
    services.county_review(revised, people["department"], approve=False, opinion="联农带农不足")
    revised.refresh_from_db()
    assert (revised.status, revised.library_code) == (Status.RETURNED, None)


def test_an_application_under_review_cannot_be_changed(pairing, people):
    application = apply(pairing, people["village"])
    services.submit_application(application, people["village"])
    with pytest.raises(ValidationError) as refusal:
        services.door(ProjectApplication).save(people["village"], application, {"name": "改名"})
    assert refusal.value.code == "frozen"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"from_enterprise": Decimal("500000.00")}, "investment_estimate"),
        ({"poor_households_linked": 41}, "poor_households_linked"),
        ({"meeting_on": date(2099, 1, 1), "board_posted_on": None}, "meeting_on"),
        ({"board_posted_on": date(2026, 2, 1)}, "board_posted_on"),
    ],
)
def test_the_door_refuses_an_inconsistent_application(pairing, people, changes, field):
    with pytest.raises(ValidationError) as refusal:
        apply(pairing, people["village"], **changes)
    assert field in refusal.value.message_dict
    assert not ProjectApplication.objects.exists()


def test_submitting_needs_the_meeting_record_and_the_board_posting(pairing, people):
    application = apply(pairing, people["village"], file=None, board_posted_on=None)
    with pytest.raises(ValidationError) as refusal:
        services.submit_application(application, people["village"])
    assert set(refusal.value.message_dict) == {"file", "board_posted_on"}
    assert not application.events.exists()


def test_each_step_is_its_roles_and_in_its_order(pairing, people):
    application = apply(pairing, people["village"])
    with pytest.raises(ValidationError):  # not submitted yet
        services.town_review(application, people["town"], approve=True, opinion="同意")
    services.submit_application(application, people["village"])
    with pytest.raises(PermissionDenied):  # a village does not review its own
        services.town_review(application, people["village"], approve=True, opinion="同意")
    with pytest.raises(Http404):  # another town's officer does not even see it
        services.town_review(application, people["other_town"], approve=True, opinion="同意")
    with pytest.raises(ValidationError) as refusal:
        services.town_review(application, people["town"], approve=True, opinion=" ")
    assert "opinion" in refusal.value.message_dict
    with pytest.raises(PermissionDenied):  # the county's review is not the town's
        services.county_review(application, people["town"], approve=True, opinion="同意")
    with pytest.raises(PermissionDenied):  # the plan is the task force's
        services.plan_application(application, people["department"], 2026)


def test_plan_years_and_roll_over(pairing, people):
    entry = through_the_county(apply(pairing, people["village"]), people)
    with pytest.raises(ValidationError) as refusal:
        services.plan_application(entry, people["taskforce"], 2025)
    assert "plan_year" in refusal.value.message_dict
    services.plan_application(entry, people["taskforce"], 2026)
    other = through_the_county(apply(pairing, people["enterprise"], name="光伏"), people)
    services.plan_application(other, people["taskforce"], 2027)
    call_command("roll_over", "--year", "2026", "--user", people["taskforce"].username)
    entry.refresh_from_db()
    other.refresh_from_db()
    assert (entry.plan_year, other.plan_year) == (2027, 2027)
    assert entry.events.last().kind == Step.ROLLED_OVER
    with pytest.raises(PermissionDenied):
        services.roll_over(people["town"], 2027)


def test_an_entry_leaves_the_library_with_its_reason(pairing, people):
    entry = through_the_county(apply(pairing, people["village"]), people)
    with pytest.raises(ValidationError):
        services.leave_library(entry, people["taskforce"], "")
    services.leave_library(entry, people["taskforce"], "企业经营调整，项目取消")
    entry.refresh_from_db()
    assert (entry.status, entry.left_reason) == (Status.LEFT, "企业经营调整，项目取消")
    with pytest.raises(ValidationError):
        services.plan_application(entry, people["taskforce"], 2026)


def test_a_project_code_in_use_is_refused_on_the_code(pairing, people):
    entry = through_the_county(apply(pairing, people["village"]), people)
    services.plan_application(entry, people["taskforce"], 2026)
    taken = factories.ProjectFactory().code
    with pytest.raises(ValidationError) as refusal:
        services.start_project(entry, people["town"], taken)
    assert list(refusal.value.message_dict) == ["code"]
    entry.refresh_from_db()
    assert (entry.status, entry.project) == (Status.PLANNED, None)


def test_an_ended_pairing_applies_no_more(pairing, people):
    pairing.status = pairing.Status.ENDED
    pairing.end_date = date(2026, 1, 1)
    pairing.save()
    with pytest.raises(ValidationError) as refusal:
        apply(pairing, people["village"])
    assert "pairing" in refusal.value.message_dict


def library_source() -> FundBudget:
    source = FundSource.objects.create(
        name="衔接资金",
        kind=FundSource.Kind.HORIZONTAL,
        department=Department.objects.get(code="water"),
        requires_library=True,
    )
    return save_budget(
        FundBudget(source=source, year=2026, amount=Decimal("5000000.00")), factories.task_force()
    )


def test_a_source_for_library_projects_refuses_any_other(pairing, people):
    budget = library_source()
    outsider = factories.ProjectFactory()
    with pytest.raises(ValidationError) as refusal:
        save_allocation(
            Allocation(
                budget=budget,
                project=outsider,
                amount=Decimal("100.00"),
                allocated_on=date(2026, 3, 1),
            ),
            people["taskforce"],
        )
    assert "project library" in refusal.value.message_dict["project"][0]
    entry = through_the_county(apply(pairing, people["village"]), people)
    services.plan_application(entry, people["taskforce"], 2026)
    project = services.start_project(entry, people["town"], "XM-LIB-1")
    allocation = save_allocation(
        Allocation(
            budget=budget, project=project, amount=Decimal("100.00"), allocated_on=date(2026, 3, 1)
        ),
        people["taskforce"],
    )
    assert allocation.pk


def test_the_allocation_page_and_api_say_why(people):
    client = language_client("en")
    budget = library_source()
    outsider = factories.ProjectFactory()
    client.force_login(people["taskforce"])
    data = {
        "budget": budget.pk,
        "project": outsider.pk,
        "amount": "100.00",
        "allocated_on": "2026-03-01",
    }
    page = client.post(reverse("funds:allocation_add"), data)
    assert page.status_code == 400
    assert "project library" in page.content.decode()
    from cunqi.api import tokens

    token = tokens.create(people["taskforce"], "library")[0]
    api = client.post(
        "/api/v1/funds/allocation/",
        data,
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )
    assert api.status_code == 400, api.content
    assert "project library" in api.content.decode()
    assert not Allocation.objects.exists()


def test_the_steps_through_the_detail_page(pairing, people):
    client = language_client("en")
    application = apply(pairing, people["village"])
    url = reverse("projects:projectapplication_detail", args=[application.pk])
    action = lambda name: reverse("projects:projectapplication_action", args=[application.pk, name])  # noqa: E731
    client.force_login(people["village"])
    assert "Submit to the town" in client.get(url).content.decode()
    assert client.post(action("submit")).status_code == 302
    client.force_login(people["town"])
    page = client.get(url).content.decode()
    assert "Pass to the county" in page and "Submit to the town" not in page
    client.post(action("town_review"), {"verdict": "pass", "opinion": "同意"})
    client.force_login(people["department"])
    client.post(action("county_review"), {"verdict": "maybe", "opinion": "同意"})
    application.refresh_from_db()
    assert application.status == Status.TOWN_APPROVED  # no verdict, no step
    response = client.post(
        action("county_review"), {"verdict": "pass", "opinion": "同意"}, follow=True
    )
    assert "Entered in the library as XMK-" in response.content.decode()
    client.force_login(people["taskforce"])
    response = client.post(action("plan"), {"year": "soon"}, follow=True)
    assert "Give the plan year as a number." in response.content.decode()
    client.post(action("plan"), {"year": "2026"})
    client.force_login(people["town"])
    client.post(action("start_project"), {"code": "XM-PAGE-1"})
    application.refresh_from_db()
    assert application.project.code == "XM-PAGE-1"
    page = client.get(url).content.decode()
    assert "passed the town&#x27;s review: 同意" in page
    assert (
        client.get(reverse("projects:projectapplication_file", args=[application.pk])).status_code
        == 200
    )


def test_the_steps_through_the_api(pairing, people):
    client = language_client("en")
    from cunqi.api import tokens

    def call(user, method, path, body=None):
        key = tokens.create(user, "library")[1]
        return getattr(client, method)(
            f"/api/v1/projects/projectapplication/{path}",
            body or {},
            content_type="application/json",
            headers={"authorization": f"Bearer {key}"},
        )

    application = apply(pairing, people["village"])
    # A change without a file comes as JSON, and is checked as the page's.
    changed = call(people["village"], "patch", f"{application.pk}/", {"name": "冷库"})
    assert (changed.status_code, changed.json()["name"]) == (200, "冷库")
    refused = call(people["village"], "patch", f"{application.pk}/", {"from_village": "1.00"})
    assert refused.status_code == 400
    assert "investment_estimate" in refused.json()["errors"]
    assert call(people["village"], "post", f"{application.pk}/submit/").status_code == 200
    assert call(people["other_town"], "post", f"{application.pk}/town_review/").status_code == 404
    assert call(people["village"], "post", f"{application.pk}/town_review/").status_code == 403
    empty = call(people["town"], "post", f"{application.pk}/town_review/", {"verdict": "pass"})
    assert (empty.status_code, list(empty.json()["errors"])) == (400, ["opinion"]), empty.content
    passed = call(
        people["town"],
        "post",
        f"{application.pk}/town_review/",
        {"verdict": "pass", "opinion": "同意"},
    )
    assert passed.status_code == 200, passed.content
    entered = call(
        people["department"],
        "post",
        f"{application.pk}/county_review/",
        {"verdict": "pass", "opinion": "同意入库"},
    )
    assert entered.json()["detail"].startswith("Entered in the library as XMK-")
    assert (
        call(people["taskforce"], "post", f"{application.pk}/plan/", {"year": 2026}).status_code
        == 200
    )
    started = call(people["town"], "post", f"{application.pk}/start_project/", {"code": "XM-API-1"})
    assert started.status_code == 200, started.content
    application.refresh_from_db()
    assert application.project.code == "XM-API-1"
    assert application.events.count() == 5
