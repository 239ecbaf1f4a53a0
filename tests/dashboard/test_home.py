"""Each role's home page: the reports a village or an enterprise owes (one tap to the
month's form, filled in), the town's month and its queue, the leader's own pairings, the
task force's and departments' queues; and each role's menu holds only what it uses."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cunqi.core import history
from cunqi.core.context_processors import navigation
from cunqi.core.roles import ADMINISTRATORS, Role
from cunqi.funds.models import Disbursement
from cunqi.funds.selectors import disbursements_to_approve
from cunqi.pairing.models import Pairing
from cunqi.supervision import rules
from cunqi.supervision.models import Card, MonthlyReport, RuleSetting
from cunqi.supervision.selectors import work
from tests import factories
from tests.core.test_query_counts import against_baseline, count_queries, grow
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db

# A day whose open month (November, due 10 December) follows a month past due (October).
TODAY = date(2026, 12, 3)
OCTOBER, NOVEMBER = date(2026, 10, 1), date(2026, 11, 1)


@pytest.fixture
def village_project():
    village = factories.VillageFactory()
    project = factories.ProjectFactory(villages=[village], status="building")
    cadre = factories.UserFactory(role=Role.VILLAGE, village=village)
    return village, project, cadre


def report(project, month, status, **fields) -> MonthlyReport:
    return MonthlyReport.objects.create(project=project, month=month, status=status, **fields)


def test_the_months_around_a_due_day():
    assert rules.last_due_month(TODAY, 10) == OCTOBER
    assert rules.open_month(TODAY, 10) == NOVEMBER
    assert rules.open_month(date(2026, 12, 11), 10) == date(2026, 12, 1)
    assert rules.open_month(date(2027, 1, 11), 10) == date(2027, 1, 1)
    assert rules.open_month(date(2027, 1, 5), 10) == date(2026, 12, 1)


def test_a_cadre_owes_last_months_missing_report_and_this_ones(village_project):
    _village, project, cadre = village_project
    due = work.reports_due(cadre, TODAY)
    assert [(row.month, row.overdue, row.status) for row in due] == [
        (OCTOBER, True, None),
        (NOVEMBER, False, None),
    ]
    assert due[1].due_on == date(2026, 12, 10)
    assert due[1].url == (
        f"{reverse('supervision:monthlyreport_add')}?project={project.pk}&month=2026-11"
    )


def test_a_submitted_month_drops_out_and_a_returned_one_comes_first(village_project):
    _village, project, cadre = village_project
    report(project, OCTOBER, MonthlyReport.Status.ACCEPTED)
    august = report(
        project, date(2026, 8, 1), MonthlyReport.Status.RETURNED, review_comment="缺照片"
    )
    draft = report(project, NOVEMBER, MonthlyReport.Status.DRAFT)
    due = work.reports_due(cadre, TODAY)
    assert [(row.report, row.overdue) for row in due] == [(august, True), (draft, False)]
    assert due[1].url == draft.get_absolute_url()


def test_other_villages_projects_and_unsupervised_ones_are_not_owed(village_project):
    _village, project, cadre = village_project
    factories.ProjectFactory(status="building")  # another village's
    factories.ProjectFactory(villages=[project.villages.get()], status="planned")
    assert {row.project for row in work.reports_due(cadre, TODAY)} == {project}
    town = factories.UserFactory(role=Role.TOWN, town=project.villages.get().town)
    assert work.reports_due(town, TODAY) == []  # a town reviews; it does not write


def test_the_home_page_opens_the_months_form_filled_in(village_project):
    _village, project, cadre = village_project
    client = language_client("en")
    client.force_login(cadre)
    page = client.get(reverse("dashboard:home")).content.decode()
    month = rules.open_month(timezone.localdate(), RuleSetting.report_due_day())
    link = f"?project={project.pk}&amp;month={month:%Y-%m}"
    assert link in page and "Monthly reports to write" in page
    form = client.get(
        f"{reverse('supervision:monthlyreport_add')}?project={project.pk}&month={month:%Y-%m}"
    ).content.decode()
    assert f'value="{month:%Y-%m}"' in form
    assert f'<option value="{project.pk}" selected>' in form


def test_the_report_form_preselects_the_only_project_and_the_open_month(village_project):
    _village, project, cadre = village_project
    client = Client()
    client.force_login(cadre)
    form = client.get(reverse("supervision:monthlyreport_add")).content.decode()
    month = rules.open_month(timezone.localdate(), RuleSetting.report_due_day())
    assert f'value="{month:%Y-%m}"' in form
    assert f'<option value="{project.pk}" selected>' in form
    # With two projects to choose from, the cadre chooses.
    factories.ProjectFactory(villages=[project.villages.get()], status="building")
    form = client.get(reverse("supervision:monthlyreport_add")).content.decode()
    choices = form.split('name="project"')[1].split("</select>")[0]
    assert f'<option value="{project.pk}" selected>' not in choices


def test_a_town_sees_its_months_and_its_queue_only():
    a, b = build_side("A"), build_side("B")
    users = build_users(a)
    MonthlyReport.objects.filter(project__in=[a.project, b.project]).delete()
    mine = report(a.project, OCTOBER, MonthlyReport.Status.SUBMITTED, submitted_at=timezone.now())
    report(b.project, OCTOBER, MonthlyReport.Status.SUBMITTED, submitted_at=timezone.now())
    town = users[Role.TOWN]
    assert list(work.reports_to_review(town)) == [mine]
    october = work.month_progress(town, OCTOBER, 10)
    assert (october.expected, october.submitted, october.missing) == (1, 1, [])
    november = work.month_progress(town, NOVEMBER, 10)
    assert (november.expected, november.submitted, november.missing) == (1, 0, [a.project])
    assert list(work.reports_to_review(users[Role.VILLAGE])) == []


def test_a_leader_sees_the_pairings_they_lead_with_cards_and_last_report():
    a, b = build_side("A"), build_side("B")
    users = build_users(a)
    leader = users[Role.LEADER]
    leader.person = a.pairing.leader
    leader.save()
    MonthlyReport.objects.filter(project=a.project).delete()
    report(a.project, OCTOBER, MonthlyReport.Status.ACCEPTED)
    Card.objects.filter(project=a.project).delete()
    Card.objects.create(
        rule=RuleSetting.Rule.REPORTS,
        colour=Card.Colour.RED,
        subject_key=f"project:{a.project.pk}",
        project=a.project,
        town=a.town,
        reason=Card.Reason.REPORT_MISSING,
        issued_on=TODAY,
        evaluated_on=TODAY,
    )
    [led] = work.led_pairings(leader)
    assert (led.pairing, led.projects, led.red_cards, led.last_report) == (
        a.pairing,
        1,
        1,
        OCTOBER,
    )
    client = language_client("en")
    client.force_login(leader)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "My pairings" in page and str(a.pairing.village) in page
    assert str(b.pairing.village) not in page
    assert "1 red card" in page


def test_a_leader_without_a_person_is_told_how_to_be_linked():
    leader = factories.UserFactory(role=Role.LEADER)
    assert work.led_pairings(leader) == []
    client = language_client("en")
    client.force_login(leader)
    assert "not linked to a person" in client.get(reverse("dashboard:home")).content.decode()


def test_a_department_approves_only_its_own_departments_payments_recorded_by_another():
    a = build_side("A")
    users = build_users(a)
    department = users[Role.DEPARTMENT]
    rows = list(Disbursement.objects.all())
    assert rows, "the scoping world records a payment"
    with history.recorded():
        Disbursement.objects.update(status=Disbursement.Status.RECORDED, approved_by=None)
    mine = [row for row in rows if row.allocation.budget.source.department == department.department]
    assert set(disbursements_to_approve(department)) == set(mine)
    assert set(disbursements_to_approve(users[Role.TASKFORCE])) == set(rows)
    assert list(disbursements_to_approve(users[Role.TOWN])) == []


@pytest.mark.parametrize("role", [role for role in Role if role not in ADMINISTRATORS])
def test_home_queries_do_not_grow_with_rows(role):
    a = build_side("A")
    user = build_users(a)[role]
    if role == Role.LEADER:
        user.person = a.pairing.leader
        user.save()
    client = Client()
    client.force_login(user)
    before = count_queries(client, reverse("dashboard:home"))
    against_baseline(f"home:{role}", [before])
    grow(a)
    if role == Role.LEADER:
        with history.recorded():
            Pairing.objects.update(leader=a.pairing.leader)
    assert count_queries(client, reverse("dashboard:home")) == before


# What each role's menu must hold, and must not: the work of others stays out of it.
MENUS = {
    Role.VILLAGE: ({"Monthly reports", "Households", "Cards"}, {"Matching runs", "Card rules"}),
    Role.ENTERPRISE: ({"Monthly reports", "Employment", "Orders"}, {"Households", "Fund sources"}),
    Role.TOWN: ({"Monthly reports", "Card board", "Action items"}, {"Matching runs", "Industries"}),
    Role.LEADER: ({"Pairings", "Card board", "Quarterly reviews"}, {"Households", "Card rules"}),
    Role.ADVISOR: ({"Talent services", "Trainings"}, {"Monthly reports", "Excel"}),
}


def menu_labels(user) -> set[str]:
    request = type("Request", (), {"user": user, "path": "/"})()
    labels = set()
    for item in navigation(request)["navigation"]:
        labels.add(str(item["label"]))
        labels.update(str(child["label"]) for child in item.get("children", ()))
    return labels


@pytest.mark.parametrize("role", list(MENUS))
def test_each_role_sees_the_menu_of_its_own_work(role):
    a = build_side("A")
    user = build_users(a)[role]
    with translation.override("en"):
        labels = menu_labels(user)
    must, must_not = MENUS[role]
    assert must <= labels, must - labels
    assert not (must_not & labels), must_not & labels


def test_the_task_force_keeps_the_whole_menu():
    users = build_users(build_side("A"))
    with translation.override("en"):
        task_force, village = (menu_labels(users[role]) for role in (Role.TASKFORCE, Role.VILLAGE))
    assert village < task_force
    assert {"Matching runs", "Card rules", "Industries", "Households"} <= task_force


def test_every_page_of_a_roles_menu_opens_for_it():
    a = build_side("A")
    users = build_users(a)
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        request = type("Request", (), {"user": user, "path": "/"})()
        for item in navigation(request)["navigation"]:
            for entry in item.get("children", [item]):
                assert client.get(entry["url"]).status_code == 200, (role, entry["url"])
