"""Demonstration towns from the criteria: the demo's two qualify from their data."""

from datetime import date

import pytest
from auditlog.context import disable_auditlog
from django.urls import reverse

from cunqi.core.roles import Role
from cunqi.registry.models import Town
from cunqi.supervision.demonstration import VillageFacts, town_verdict
from cunqi.supervision.models import DemonstrationCriteria
from cunqi.supervision.selectors import recognition
from tests import factories
from tests.i18n import language_client


def test_a_town_qualifies_only_when_every_village_meets_the_criteria():
    good = VillageFacts("甲村", paired=True, projects=1)
    assert town_verdict([good, good]).qualifies
    verdict = town_verdict([good, VillageFacts("乙村", paired=False, projects=0)])
    assert not verdict.qualifies
    assert verdict.shortfalls == [("乙村", "unpaired"), ("乙村", "projects")]
    assert town_verdict([VillageFacts("丙村", False, 2)], every_village_paired=False).qualifies
    assert not town_verdict([good], min_projects=2).qualifies
    assert not town_verdict([]).qualifies


@pytest.mark.django_db
def test_towns_are_judged_from_their_rows_and_named_by_the_task_force():
    town = factories.TownFactory(is_demonstration=False)
    villages = [factories.VillageFactory(town=town) for _ in range(2)]
    for village in villages:
        factories.PairingFactory(village=village)
    factories.ProjectFactory(villages=[villages[0]], status="operating")
    project = factories.ProjectFactory(
        villages=[villages[1]], status="building", start_date=date(2026, 1, 1)
    )
    [item] = recognition.demonstration_towns([town])
    assert not item.verdict.qualifies  # the second village's project is still being built
    with disable_auditlog():  # behind the doors' backs, unrecorded
        DemonstrationCriteria.objects.update(count_projects_being_built=True)
    [item] = recognition.demonstration_towns([town])
    assert item.verdict.qualifies
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    page = client.get(reverse("supervision:demonstration")).content.decode()
    assert town.name in page
    client.post(reverse("supervision:demonstration"))
    town.refresh_from_db()
    assert town.is_demonstration
    project.status = "planned"
    project.save()
    town_user = language_client("en")
    town_user.force_login(factories.UserFactory(role=Role.TOWN, town=town))
    assert town_user.post(reverse("supervision:demonstration")).status_code == 403
    assert (
        "too few projects" in town_user.get(reverse("supervision:demonstration")).content.decode()
    )


@pytest.mark.django_db
def test_the_demo_demonstration_towns_qualify_from_their_data(django_db_blocker):
    from django.core.management import call_command

    call_command("demo", verbosity=0)
    towns = list(Town.objects.filter(is_demonstration=True))
    assert {town.name for town in towns} == {"大柳塔镇", "孙家岔镇"}
    assert all(item.verdict.qualifies for item in recognition.demonstration_towns(towns))


@pytest.mark.django_db
def test_an_approved_project_nomination_makes_a_demonstration_project_once():
    from cunqi.supervision.models import Nomination

    village = factories.VillageFactory()
    project = factories.ProjectFactory(villages=[village], is_demonstration=False)
    town_user = language_client("en")
    town_user.force_login(factories.UserFactory(role=Role.TOWN, town=village.town))
    response = town_user.post(
        reverse("supervision:nomination_add"),
        {"year": "2026", "kind": "project", "village": village.pk, "reason": "示范带动强"},
    )
    assert response.status_code == 400  # a project nomination names a project, not a village
    response = town_user.post(
        reverse("supervision:nomination_add"),
        {"year": "2026", "kind": "project", "project": project.pk, "reason": "示范带动强"},
    )
    nomination = Nomination.objects.get()
    assert (
        town_user.post(
            reverse("supervision:nomination_action", args=[nomination.pk, "approve"])
        ).status_code
        == 403
    )
    taskforce = language_client("en")
    taskforce.force_login(factories.UserFactory(role=Role.TASKFORCE))
    taskforce.post(reverse("supervision:nomination_action", args=[nomination.pk, "approve"]))
    nomination.refresh_from_db()
    project.refresh_from_db()
    assert nomination.status == Nomination.Status.APPROVED and project.is_demonstration
    page = taskforce.post(
        reverse("supervision:nomination_action", args=[nomination.pk, "decline"]), follow=True
    ).content.decode()
    assert "already been decided" in page
