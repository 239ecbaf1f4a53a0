"""One rule, every door: each rule of the table is tried through the page's POST, the REST
API and an Excel import (where the model has one), and each must refuse it in the same
words, leaving nothing changed (the row, the number of rows, the change history).

A rule is a function of the two-sided world that returns a ``Case``: who tries, on which
model and row, with what data for each door, and the message the refusal must carry.
"""

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import translation

import cunqi.urls  # noqa: F401  (fills REGISTRY with the pages)
from cunqi.api import tokens
from cunqi.api.resources import _form_data
from cunqi.benefits.models import Distribution, Employment, EquityStructure, VillagerWeight
from cunqi.core.roles import Role
from cunqi.core.views import REGISTRY
from cunqi.funds import services as funds
from cunqi.funds.models import Disbursement
from cunqi.pairing.models import Pairing
from cunqi.projects.models import ApprovalDocument, Investment, Project, ProjectApplication
from cunqi.registry.models import Household, Resource, Village
from cunqi.supervision import services as supervision
from cunqi.supervision.models import (
    Card,
    Instruction,
    MonthlyReport,
    Nomination,
    ReportAttachment,
)
from tests import factories
from tests.exchange.test_import import check, filled
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    role: str
    model: type
    message: str
    form: dict = field(default_factory=dict)  # page and API data (changes, for an edit)
    pk: int | None = None  # the row changed, or None for a new one
    kind: str | None = None  # the exchange kind, when the model has one
    row: list | None = None  # its template row
    api: dict | None = None  # API data when it differs from the form's
    delete: bool = False  # the change tried is the row's deletion
    upload: bool = False  # the form sends a file (multipart)


@pytest.fixture
def world():
    a, b = build_side("A"), build_side("B")
    return a, b, build_users(a)


def _accept(report: MonthlyReport, users: dict) -> MonthlyReport:
    supervision.submit_report(report, users[Role.VILLAGE])
    return supervision.review_report(report, users[Role.TOWN], accept=True)


def _accepted_report(a, b, users) -> Case:
    report = _accept(a.monthly_report, users)
    return Case(
        role=Role.VILLAGE,
        model=MonthlyReport,
        pk=report.pk,
        form={"milestones": "改"},
        kind="monthly_reports",
        row=[a.project.code, f"{report.month:%Y-%m}", "1.00", "改", "0", "0", ""],
        message="A submitted or accepted report can no longer be changed.",
    )


def _completed_investment_of_a_reported_month(a, b, users) -> Case:
    report = a.monthly_report
    report.investment_completed = Decimal("80000.00")
    report.save()
    _accept(report, users)
    row = Investment.objects.get(project=a.project, month=report.month)
    return Case(
        role=Role.TOWN,
        model=Investment,
        pk=row.pk,
        form={"completed_amount": "90000.00"},
        kind="investments",
        row=[a.project.code, f"{row.month:%Y-%m}", row.get_source_display(), "0", "90000.00"],
        message="The completed investment of May 2026 is the figure of that month's accepted report.",
    )


def _investment_in_a_pairings_report(a, b, users) -> Case:
    values = {
        "pairing": a.pairing.pk,
        "month": "2026-04",
        "investment_completed": "5000.00",
        "output_value": "0",
        "sales": "0",
    }
    return Case(
        role=Role.VILLAGE,
        model=MonthlyReport,
        form=values,
        api={**values, "month": "2026-04-01"},
        message="Investment is reported by project: leave it at zero in a pairing's report.",
    )


def _household_outside_the_project(a, b, users) -> Case:
    elsewhere = factories.VillageFactory(town=a.town, code="610881100299")
    household = factories.HouseholdFactory(village=elsewhere, number="077")
    return Case(
        role=Role.TOWN,
        model=Employment,
        form={
            "project": a.project.pk,
            "household": household.pk,
            "worker_name": "外村人",
            "monthly_wage": "3000.00",
            "start_month": "2026-03",
        },
        api={
            "project": a.project.pk,
            "household": household.pk,
            "worker_name": "外村人",
            "monthly_wage": "3000.00",
            "start_month": "2026-03-01",
        },
        kind="employment",
        row=[a.project.code, elsewhere.code, "077", "外村人", "", "3000", "2026-03", ""],
        message="This household is not in one of the project's villages.",
    )


def _demonstration_by_a_town(a, b, users) -> Case:
    values = {
        "code": "XM-NEW-1",
        "name": "新项目",
        "villages": [a.village.pk],
        "enterprises": [a.enterprise.pk],
        "cooperation_models": [a.project.cooperation_models.first().pk],
        "industry": a.project.industry_id,
        "is_demonstration": True,
        "status": "planned",
        "planned_investment": "1000.00",
    }
    return Case(
        role=Role.TOWN,
        model=Project,
        form=values,
        kind="projects",
        row=[
            "XM-NEW-1",
            "新项目",
            a.village.code,
            a.enterprise.uscc,
            "",
            a.project.industry.name_zh,
            "是",
            "planned",
            "1000",
            "",
            "",
            "",
            "",
        ],
        message="Your role may not set “demonstration project (示范项目)”.",
    )


def _village_code_by_its_cadre(a, b, users) -> Case:
    # An import finds a village by its code, so it cannot change one: pages and API only.
    return Case(
        role=Role.VILLAGE,
        model=Village,
        pk=a.village.pk,
        form={"code": "610881100777"},
        message="Your role may not set “village code”.",
    )


def _household_without_members(a, b, users) -> Case:
    return Case(
        role=Role.TOWN,
        model=Household,
        form={"village": a.village.pk, "number": "900", "head_name": "张三", "members": 0},
        kind="households",
        row=[a.village.code, "", "900", "张三", 0],
        message="Ensure this value is greater than or equal to 1.",
    )


def _monitored_household_without_category(a, b, users) -> Case:
    return Case(
        role=Role.VILLAGE,
        model=Household,
        form={
            "village": a.village.pk,
            "number": "901",
            "head_name": "李四",
            "members": 3,
            "status": "monitored",
        },
        kind="households",
        row=[a.village.code, "", "901", "李四", 3, "", "", "", "under monitoring (监测户)"],
        message="Give the category of a household under monitoring.",
    )


def _pairing_ending_before_it_starts(a, b, users) -> Case:
    village = factories.VillageFactory(town=a.town, code="610881100288")
    return Case(
        role=Role.TOWN,
        model=Pairing,
        form={
            "village": village.pk,
            "enterprise": a.enterprise.pk,
            "start_date": "2026-03-01",
            "end_date": "2026-01-01",
            "status": "active",
        },
        kind="pairings",
        row=[village.code, a.enterprise.uscc, "2026-03-01", "2026-01-01", "active", "", ""],
        message="The end cannot be before the start.",
    )


def _resource_of_two_owners(a, b, users) -> Case:
    return Case(
        role=Role.TASKFORCE,
        model=Resource,
        form={
            "village": a.village.pk,
            "enterprise": a.enterprise.pk,
            "direction": "offers",
            "kind": a.village_resource.kind_id,
            "quantity": "10.00",
        },
        kind="resources",
        row=[a.village.code, a.enterprise.uscc, "offers", "Labour", "10", "人", ""],
        message="A resource belongs to either a village or an enterprise.",
    )


def _approved_distribution(a, b, users) -> Case:
    from cunqi.benefits import services as benefits

    benefits.approve_distribution(a.distribution, users[Role.LEADER])
    return Case(
        role=Role.TOWN,
        model=Distribution,
        pk=a.distribution.pk,
        form={"profit": "9999999.00"},
        message="Only a draft distribution can be changed.",
    )


def _approved_disbursement(a, b, users) -> Case:
    funds.approve_disbursement(a.disbursement, users[Role.DEPARTMENT])
    return Case(
        role=Role.DEPARTMENT,
        model=Disbursement,
        pk=a.disbursement.pk,
        form={"amount": "1.00"},
        message="An approved disbursement can no longer be changed or deleted.",
    )


def _distribution_of_year_zero(a, b, users) -> Case:
    return Case(
        role=Role.TOWN,
        model=Distribution,
        form={"project": a.project.pk, "year": 0, "profit": "100.00"},
        message="Ensure this value is greater than or equal to 2000.",
    )


def _attachment_of_an_accepted_report(a, b, users) -> Case:
    _accepted_report(a, b, users)
    return Case(
        role=Role.VILLAGE,
        model=a.report_attachment._meta.model,
        pk=a.report_attachment.pk,
        delete=True,
        message="A submitted or accepted report can no longer be changed.",
    )


def _cleared_card(a, b, users) -> Case:
    a.card.status = "cleared"
    a.card.save()
    return Case(
        role=Role.TOWN,
        model=type(a.card),
        pk=a.card.pk,
        form={"plan": "整改"},
        message="A cleared card can no longer be changed.",
    )


def _answered_instruction(a, b, users) -> Case:
    supervision.answer_instruction(a.instruction, users[Role.TOWN], "已落实")
    return Case(
        role=Role.LEADER,
        model=Instruction,
        pk=a.instruction.pk,
        form={"text": "改"},
        message="An answered or closed instruction can no longer be changed.",
    )


def _instruction_in_another_leaders_name(a, b, users) -> Case:
    deadline = (date.today() + timedelta(days=30)).isoformat()
    return Case(
        role=Role.LEADER,
        model=Instruction,
        form={
            "leader": b.leader.pk,
            "pairing": a.pairing.pk,
            "text": "加快进度",
            "deadline": deadline,
            "answer_town": a.town.pk,
        },
        message="A leader gives instructions in their own name.",
    )


def _decided_nomination(a, b, users) -> Case:
    supervision.decide_nomination(a.nomination, users[Role.TASKFORCE], approve=False)
    return Case(
        role=Role.TOWN,
        model=type(a.nomination),
        pk=a.nomination.pk,
        form={"reason": "再议"},
        message="This nomination has already been decided.",
    )


PDF = b"%PDF-1.4\n%demo\n"


def _submitted_application(a, b, users) -> Case:
    from cunqi.projects import services as projects

    projects.submit_application(a.application, users[Role.VILLAGE])
    return Case(
        role=Role.VILLAGE,
        model=type(a.application),
        pk=a.application.pk,
        form={"name": "改名"},
        message="An application under review or in the library can no longer be changed.",
    )


def _application_sources_short(a, b, users) -> Case:
    return Case(
        role=Role.ENTERPRISE,
        model=type(a.application),
        pk=a.application.pk,
        form={"from_enterprise": "700.00"},
        message="The fund sources add up to 700.00 yuan, not the estimate of 800.00 yuan.",
    )


def _library_fund_for_an_outside_project(a, b, users) -> Case:
    source = a.fund_source
    source.requires_library = True
    source.save()
    return Case(
        role=Role.DEPARTMENT,
        model=type(a.allocation),
        form={
            "budget": a.fund_budget.pk,
            "project": a.project.pk,
            "amount": "10.00",
            "allocated_on": "2026-03-02",
        },
        message="funds only projects from the project library",
    )


def _supplied_document(a, b, users) -> Case:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cunqi.projects import services as projects

    document = a.approval_document
    projects.supply_document(document, SimpleUploadedFile("a.pdf", PDF), users[Role.TOWN])
    return Case(
        role=Role.TOWN,
        model=type(document),
        pk=document.pk,
        upload=True,
        message="This document has already been supplied.",
    )


def _structure_in_use(a, b, users) -> Case:
    from cunqi.benefits import services as benefits

    benefits.approve_distribution(a.distribution, users[Role.LEADER])
    return Case(
        role=Role.TOWN,
        model=type(a.equity_structure),
        pk=a.equity_structure.pk,
        form={"note": "改"},
        message="Distributions have been approved under this structure",
    )


def _weight_in_use(a, b, users) -> Case:
    from cunqi.benefits import services as benefits

    benefits.approve_distribution(a.distribution, users[Role.LEADER])
    return Case(
        role=Role.TOWN,
        model=type(a.villager_weight),
        pk=a.villager_weight.pk,
        form={"weight": "3.00"},
        message="Distributions have been approved under this structure",
    )


RULES: dict[str, Callable] = {
    "an accepted report is fixed": _accepted_report,
    "a reported month's completed investment is the report's": (
        _completed_investment_of_a_reported_month
    ),
    "a pairing's report states no investment": _investment_in_a_pairings_report,
    "employment only of the project's villages": _household_outside_the_project,
    "only the task force designates demonstration projects": _demonstration_by_a_town,
    "a village's code is its town's": _village_code_by_its_cadre,
    "a household has members": _household_without_members,
    "a monitored household has its category": _monitored_household_without_category,
    "a pairing ends after it starts": _pairing_ending_before_it_starts,
    "a resource has one owner": _resource_of_two_owners,
    "an approved distribution is fixed": _approved_distribution,
    "an approved disbursement is fixed": _approved_disbursement,
    "a distribution's year is a real one": _distribution_of_year_zero,
    "an accepted report's files stay": _attachment_of_an_accepted_report,
    "a cleared card is fixed": _cleared_card,
    "a decided nomination is fixed": _decided_nomination,
    "an answered instruction is fixed": _answered_instruction,
    "a leader gives instructions in their own name": _instruction_in_another_leaders_name,
    "a supplied document is fixed": _supplied_document,
    "a structure in use is fixed": _structure_in_use,
    "a weight of a structure in use is fixed": _weight_in_use,
    "a submitted application is fixed": _submitted_application,
    "an application's fund sources add up to its estimate": _application_sources_short,
    "a library-only source funds only library projects": _library_fund_for_an_outside_project,
}
# Each model whose state can freeze its rows, and the rule that tries it.
FROZEN = {
    MonthlyReport: "an accepted report is fixed",
    Distribution: "an approved distribution is fixed",
    Disbursement: "an approved disbursement is fixed",
    ReportAttachment: "an accepted report's files stay",
    Card: "a cleared card is fixed",
    Nomination: "a decided nomination is fixed",
    Instruction: "an answered instruction is fixed",
    ApprovalDocument: "a supplied document is fixed",
    EquityStructure: "a structure in use is fixed",
    VillagerWeight: "a weight of a structure in use is fixed",
    ProjectApplication: "a submitted application is fixed",
}


def _state(model, pk) -> tuple:
    rows = model._base_manager.order_by("pk")
    row = model_to_dict(rows.get(pk=pk)) if pk else None
    return rows.count(), repr(row), LogEntry.objects.count()


def _page_data(case: Case, user) -> dict:
    """The page's form as a browser posts it: the row's current values, then the case's."""
    views = REGISTRY[case.model]
    if case.pk is None:
        return case.form
    obj = case.model._base_manager.get(pk=case.pk)
    current = model_to_dict(obj, fields=list(views.form.base_fields))
    data = _form_data(current)
    for name, value in case.form.items():
        data[name] = str(value)
    return data


def through_the_page(case: Case, user) -> str:
    client = language_client("en")
    client.force_login(user)
    if case.delete:
        url = reverse(case.model.url_name("delete"), args=[case.pk])
        response = client.post(url)
    elif case.pk is None:
        url = reverse(case.model.url_name("add"))
        response = client.post(url, _page_data(case, user))
    else:
        url = reverse(case.model.url_name("edit"), args=[case.pk])
        data = _page_data(case, user)
        if case.upload:
            data["file"] = SimpleUploadedFile("b.pdf", PDF)
        response = client.post(url, data)
    assert response.status_code in (400, 403), (url, response.status_code)
    return html.unescape(response.content.decode())


def through_the_api(case: Case, user) -> str:
    _token, key = tokens.create(user, "every door")
    client = language_client("en")
    base = f"/api/v1/{case.model._meta.app_label}/{case.model._meta.model_name}/"
    payload = json.dumps(case.api or case.form)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if case.delete:
        response = client.delete(f"{base}{case.pk}/", **headers)
    elif case.pk is None:
        response = client.post(base, payload, content_type="application/json", **headers)
    elif case.upload:
        body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("b.pdf", PDF)})
        response = client.generic(
            "PATCH", f"{base}{case.pk}/", body, content_type=MULTIPART_CONTENT, **headers
        )
    else:
        response = client.patch(
            f"{base}{case.pk}/", payload, content_type="application/json", **headers
        )
    assert response.status_code in (400, 403), (base, response.status_code, response.content)
    body = response.json()
    return " ".join([body["detail"], *(m for ms in body["errors"].values() for m in ms)])


def through_the_import(case: Case, user) -> str:
    outcome = check(case.kind, filled(case.kind, [case.row]), user, commit=True)
    assert not outcome.committed
    return " ".join(error.message for error in outcome.errors)


@pytest.mark.parametrize("rule", list(RULES))
def test_each_door_refuses_a_rule_in_the_same_words_and_keeps_everything(world, rule):
    a, b, users = world
    case = RULES[rule](a, b, users)
    user = users[case.role]
    doors = [through_the_page, through_the_api]
    if case.kind:
        doors.append(through_the_import)
    before = _state(case.model, case.pk)
    for through in doors:
        with translation.override("en"):
            answer = through(case, user)
        assert case.message in answer, (through.__name__, answer[-2000:])
        assert _state(case.model, case.pk) == before, through.__name__


def test_the_table_covers_every_model_whose_state_freezes_it():
    """A model whose door freezes rows in some state has a rule of the table for it."""
    from cunqi.core.doors import Door, door

    freezing = {model for model in REGISTRY if type(door(model)).frozen is not Door.frozen}
    assert freezing == set(FROZEN)


def test_whoever_redoes_a_draft_becomes_its_maker_through_the_page_and_the_api(world):
    """Four eyes: a town prepares 1,000.00; the task force redoes it to 9,999,999.00 and
    then may not approve what it last changed, through either door."""
    a, _b, users = world
    taskforce = users[Role.TASKFORCE]
    distribution = a.distribution
    client = language_client("en")
    client.force_login(taskforce)
    edit = reverse("benefits:distribution_edit", args=[distribution.pk])
    data = {"project": a.project.pk, "year": distribution.year, "profit": "9999999.00"}
    assert client.post(edit, data).status_code == 302
    distribution.refresh_from_db()
    assert distribution.prepared_by == taskforce
    approve = reverse("benefits:distribution_action", args=[distribution.pk, "approve"])
    refused = client.post(approve, follow=True).content.decode()
    assert "Whoever prepared a distribution cannot approve it." in refused
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DRAFT

    town = users[Role.TOWN]
    _token, key = tokens.create(town, "redo")
    answer = language_client("en").patch(
        f"/api/v1/benefits/distribution/{distribution.pk}/",
        json.dumps({"profit": "1000.00"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert answer.status_code == 200, answer.content
    distribution.refresh_from_db()
    assert distribution.prepared_by == town
    payouts = sum(p.amount for p in distribution.payouts.all())
    assert payouts == distribution.profit
    with translation.override("en"):
        client.post(approve)  # the task force may approve the town's redo
    distribution.refresh_from_db()
    assert (distribution.status, distribution.approved_by) == ("approved", taskforce)


def test_a_redo_moves_the_whole_distribution_to_the_other_project(world):
    """A draft redone for another project takes that project's structure and payouts; it
    never keeps the old project with the new structure, and reconciles."""
    from cunqi.benefits import reconcile

    a, b, users = world
    taskforce = users[Role.TASKFORCE]
    client = language_client("en")
    client.force_login(taskforce)
    edit = reverse("benefits:distribution_edit", args=[a.distribution.pk])
    data = {"project": b.project.pk, "year": 2025, "profit": "5000.00"}
    assert client.post(edit, data).status_code == 302
    moved = Distribution.objects.get(pk=a.distribution.pk)
    assert moved.project == b.project and moved.structure.project == b.project
    stakes = {p.stake.structure_id for p in moved.payouts.select_related("stake")}
    assert stakes == {moved.structure_id}
    assert reconcile.problems() == []


def test_the_api_prepares_a_distribution_with_its_payouts(world):
    a, _b, users = world
    town = users[Role.TOWN]
    _token, key = tokens.create(town, "prepare")
    answer = language_client("en").post(
        "/api/v1/benefits/distribution/",
        json.dumps({"project": a.project.pk, "year": 2025, "profit": "1234.56"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert answer.status_code == 201, answer.content
    distribution = Distribution.objects.get(pk=answer.json()["id"])
    assert distribution.prepared_by == town
    assert sum(p.amount for p in distribution.payouts.all()) == distribution.profit


def _enclave(a, b):
    """An enclave project (飞地抱团) joining side A's village and side B's."""
    project = a.project
    project.villages.add(b.village)
    return project


def test_saving_an_unchanged_enclave_project_keeps_the_other_towns_village(world):
    """A town officer sees only their own village of an enclave project: saving it from
    the page, the API or an import never drops the village they cannot see."""
    a, b, users = world
    project = _enclave(a, b)
    town = users[Role.TOWN]
    everyone = {a.village.pk, b.village.pk}

    client = language_client("en")
    client.force_login(town)
    edit = reverse("projects:project_edit", args=[project.pk])
    form = client.get(edit).context["form"]
    data = _form_data({name: form.initial.get(name) for name in form.fields})
    data.setlist("villages", [str(a.village.pk)])  # the only one the page offers them
    data["name"] = "改名一"
    assert client.post(edit, data).status_code == 302
    assert set(project.villages.values_list("pk", flat=True)) == everyone

    _token, key = tokens.create(town, "enclave")
    answer = language_client("en").patch(
        f"/api/v1/projects/project/{project.pk}/",
        json.dumps({"name": "改名二"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert answer.status_code == 200, answer.content
    assert set(project.villages.values_list("pk", flat=True)) == everyone

    with translation.override("en"):
        row = [
            project.code,
            "改名三",
            a.village.code,
            "",
            "",
            project.industry.name_zh,
            "否",
            project.status,
            str(project.planned_investment),
            "",
            "",
            "",
            "",
        ]
        outcome = check("projects", filled("projects", [row]), town, commit=True)
    assert outcome.committed, outcome.errors
    project.refresh_from_db()
    assert project.name == "改名三"
    assert set(project.villages.values_list("pk", flat=True)) == everyone


def test_an_import_never_tells_what_lies_outside_the_scope(world):
    """A project code of another town answers as an unknown code would, and another
    firm's credit code as a firm the user may not add: nothing of the row is told."""
    a, b, users = world
    b.project.status = "operating"
    b.project.save()
    with translation.override("en"):
        # Another town's project code: its status is never told (a lifecycle refusal did).
        projects = check(
            "projects",
            filled(
                "projects",
                [
                    [
                        b.project.code,
                        "x",
                        a.village.code,
                        "",
                        "",
                        a.project.industry.name_zh,
                        "否",
                        "planned",
                        "1",
                        "",
                        "",
                        "",
                        "",
                    ]
                ],
            ),
            users[Role.TOWN],
        )
        assert "operating" not in " ".join(e.message for e in projects.errors)
        outcome = check(
            "investments",
            filled("investments", [[b.project.code, "2026-03", "enterprise", "1", "1"]]),
            users[Role.TOWN],
            commit=True,
        )
        unknown = check(
            "investments",
            filled("investments", [["XM-NONE", "2026-03", "enterprise", "1", "1"]]),
            users[Role.TOWN],
            commit=True,
        )
        firm = check(
            "enterprises",
            filled("enterprises", [[b.enterprise.uscc, "别家", "private", "种养殖", 1]]),
            users[Role.ENTERPRISE],
            commit=True,
        )
    told = [error.message for error in outcome.errors]
    assert told == [
        m.replace("XM-NONE", b.project.code) for m in (e.message for e in unknown.errors)
    ]
    assert [error.message for error in firm.errors] == [
        "Your role may change rows here but not add them."
    ]
    assert "scope" not in " ".join(told + [e.message for e in firm.errors])


def test_an_import_records_each_field_it_changes(world):
    a, _b, users = world
    household = a.household
    row = [a.village.code, a.group.name, household.number, "新户主", household.members + 1]
    with translation.override("en"):
        outcome = check("households", filled("households", [row]), users[Role.TOWN], commit=True)
    assert outcome.committed, outcome.errors
    entry = LogEntry.objects.get_for_object(household).order_by("-timestamp").first()
    assert entry.actor == users[Role.TOWN]
    assert entry.changes == {
        "head_name": [household.head_name, "新户主"],
        "members": [str(household.members), str(household.members + 1)],
    }


def test_dates_beyond_the_calendar_are_refused_not_crashed(world):
    a, _b, users = world
    client = language_client("en")
    client.force_login(users[Role.TOWN])
    for year in ("0", "0000", "1999", "10000"):
        url = f"/benefits/statement/household/{a.household.pk}/{year}/"
        assert client.get(url).status_code == 404, url
    assert client.get(f"/projects/project/{2**63}/").status_code == 404
    lease = {
        "project": a.project.pk,
        "village": a.village.pk,
        "kind": a.land_transfer.kind_id,
        "area": "1.00",
        "rent_per_mu": "10.00",
        "escalation_percent": "0",
        "escalation_every_years": "0",
        "start_date": "2026-01-01",
        "end_date": "9999-12-31",
    }
    response = client.post(reverse("benefits:landtransfer_add"), lease)
    assert response.status_code == 400
    assert "end_date" in response.context["form"].errors
