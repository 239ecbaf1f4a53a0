"""Matching runs in the platform: recommend, explain, accept or reject, export, CLI."""

import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from cunqi.core.models import Department, ResourceKind
from cunqi.core.roles import Role
from cunqi.pairing import recommend, services
from cunqi.pairing.models import MatchingRun, Pairing, Recommendation
from cunqi.registry.models import Resource
from tests import factories
from tests.i18n import language_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A town of four villages near two enterprises; one village already paired."""
    town = factories.TownFactory()
    land = ResourceKind.objects.get(code="abandoned_land")
    labour = ResourceKind.objects.get(code="labour")
    villages = [
        factories.VillageFactory(
            town=town, latitude=Decimal("38.80") + Decimal(i) / 100, longitude=Decimal("110.40")
        )
        for i in range(4)
    ]
    villages.append(factories.VillageFactory(town=town))  # no coordinates
    grower = factories.EnterpriseFactory(
        latitude=Decimal("38.81"), longitude=Decimal("110.41"), village_capacity=2
    )
    factory = factories.EnterpriseFactory(
        latitude=Decimal("38.82"), longitude=Decimal("110.42"), village_capacity=1
    )
    for village in villages[:2]:
        factories.ResourceFactory(village=village, kind=land, quantity=Decimal("500"))
    factories.ResourceFactory(village=villages[2], kind=labour, quantity=Decimal("80"))
    factories.ResourceFactory(
        village=None,
        enterprise=grower,
        kind=land,
        direction=Resource.Direction.NEEDS,
        quantity=Decimal("800"),
    )
    factories.ResourceFactory(
        village=None,
        enterprise=factory,
        kind=labour,
        direction=Resource.Direction.NEEDS,
        quantity=Decimal("60"),
    )
    existing = factories.PairingFactory(village=villages[0], enterprise=grower)
    return town, villages, grower, factory, existing


def test_a_run_recommends_within_capacity_keeping_existing_pairings(world):
    town, villages, grower, factory, _existing = world
    run = recommend.execute(MatchingRun.objects.create(town=town))
    assert run.status == MatchingRun.Status.DONE
    assert run.villages == 5 and "1" in run.message  # one village without coordinates
    decided = {(r.village_id, r.enterprise_id): r.decision for r in run.recommendations.all()}
    assert decided[(villages[0].pk, grower.pk)] == Recommendation.Decision.EXISTING
    # The land-rich village goes to the grower (one place left), the labour village to the factory.
    assert decided[(villages[1].pk, grower.pk)] == Recommendation.Decision.PENDING
    assert decided[(villages[2].pk, factory.pk)] == Recommendation.Decision.PENDING
    per_enterprise = {}
    for _village, enterprise in decided:
        per_enterprise[enterprise] = per_enterprise.get(enterprise, 0) + 1
    assert per_enterprise[grower.pk] <= 2 and per_enterprise[factory.pk] <= 1
    assert villages[4].pk not in {v for v, _e in decided}
    land = run.recommendations.get(village=villages[1])
    assert set(land.terms["kinds"]) == {"abandoned_land"}
    assert land.terms["complementarity"] > land.terms["industry"]
    assert run.objective >= run.current_objective > 0


def test_a_run_keeps_the_pairing_of_a_last_village_that_has_no_candidate(world):
    town, villages, grower, factory, _existing = world
    # The village without coordinates, the last of the scope, has no candidate at all.
    factories.PairingFactory(village=villages[4], enterprise=factory)
    run = recommend.execute(MatchingRun.objects.create(town=town, keep_existing=True))
    assert run.status == MatchingRun.Status.DONE, run.message
    decided = {(r.village_id, r.enterprise_id): r.decision for r in run.recommendations.all()}
    assert (villages[4].pk, factory.pk) not in decided  # kept, but nothing to explain
    assert decided[(villages[1].pk, grower.pk)] == Recommendation.Decision.PENDING
    # The factory's one place is taken by the kept pairing.
    assert not [pair for pair in decided if pair[1] == factory.pk]


def test_an_empty_scope_fails_with_a_reason_and_no_recommendation():
    run = recommend.execute(MatchingRun.objects.create(town=factories.TownFactory()))
    assert run.status == MatchingRun.Status.FAILED
    assert run.message and not run.recommendations.exists()


def test_accept_creates_a_proposed_pairing_once_and_reject_needs_a_reason(world):
    town, _villages, _grower, _factory, _existing = world
    run = recommend.execute(MatchingRun.objects.create(town=town))
    taskforce = factories.UserFactory(role=Role.TASKFORCE)
    pending = list(run.recommendations.filter(decision=Recommendation.Decision.PENDING))
    pairing = services.accept(pending[0], taskforce)
    assert pairing.status == Pairing.Status.PROPOSED
    assert LogEntry.objects.get_for_object(pairing).exists()
    with translation.override("en"):
        with pytest.raises(ValidationError, match="already been decided"):
            services.accept(pending[0], taskforce)
        with pytest.raises(ValidationError, match="why"):
            services.reject(pending[1], taskforce, "  ")
    services.reject(pending[1], taskforce, "企业产能已满")
    pending[1].refresh_from_db()
    assert (
        pending[1].decision == Recommendation.Decision.REJECTED
        and pending[1].decided_by == taskforce
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_task_force_starts_a_run_reads_it_and_decides_on_the_page(world, language):
    town, _villages, _grower, _factory, _existing = world
    client = language_client(language)
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    response = client.post(
        reverse("pairing:matchingrun_add"),
        {
            "town": town.pk,
            "complementarity_weight": "0.6",
            "industry_weight": "0.2",
            "proximity_weight": "0.2",
            "distance_scale_km": "30",
            "max_distance_km": "100",
            "min_score": "0.1",
            "keep_existing": "on",
        },
    )
    run = MatchingRun.objects.get()
    assert response.status_code == 302 and run.status == MatchingRun.Status.QUEUED
    page = client.get(run.get_absolute_url()).content.decode()
    assert reverse("pairing:matchingrun_progress", args=[run.pk]) in page
    recommend.execute(run)  # what the queued task does
    progress = client.get(reverse("pairing:matchingrun_progress", args=[run.pk]))
    assert progress["HX-Refresh"] == "true"
    page = client.get(run.get_absolute_url()).content.decode()
    assert ("撂荒地" if language == "zh-hans" else "Abandoned land") in page
    recommendation = run.recommendations.filter(decision="pending").first()
    response = client.post(
        reverse("pairing:recommendation_action", args=[recommendation.pk, "accept"])
    )
    assert response.status_code == 302
    assert Pairing.objects.filter(status=Pairing.Status.PROPOSED).count() == 1
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("pairing:matchingrun_xlsx", args=[run.pk])).content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == ("村" if language == "zh-hans" else "village")
    assert len(rows) == 1 + run.recommendations.count()


def test_bad_weights_are_refused_at_the_form(world):
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    response = client.post(
        reverse("pairing:matchingrun_add"),
        {
            "complementarity_weight": "0",
            "industry_weight": "0",
            "proximity_weight": "0",
            "distance_scale_km": "30",
            "max_distance_km": "100",
            "min_score": "0",
        },
    )
    assert response.status_code == 400
    assert "At least one weight" in response.content.decode()
    assert not MatchingRun.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.TOWN, Role.VILLAGE, Role.ENTERPRISE, Role.ADVISOR, Role.EXPERT]
)
def test_scoped_roles_neither_see_nor_decide(world, role):
    town, *_ = world
    run = recommend.execute(MatchingRun.objects.create(town=town))
    recommendation = run.recommendations.first()
    client = Client()
    client.force_login(
        factories.UserFactory(role=role, town=town)
        if role == Role.TOWN
        else factories.UserFactory(role=role)
    )
    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.get(reverse("pairing:matchingrun_xlsx", args=[run.pk])).status_code == 404
    assert (
        client.post(
            reverse("pairing:recommendation_action", args=[recommendation.pk, "accept"])
        ).status_code
        == 404
    )
    assert client.get(reverse("pairing:matchingrun_add")).status_code == 403
    assert (
        str(run.get_absolute_url())
        not in client.get(reverse("pairing:matchingrun_list")).content.decode()
    )


@pytest.mark.parametrize("role", [Role.LEADER, Role.DEPARTMENT])
def test_city_wide_readers_see_runs_but_only_the_task_force_decides(world, role):
    town, *_ = world
    run = recommend.execute(MatchingRun.objects.create(town=town))
    client = Client()
    client.force_login(
        factories.UserFactory(role=role, department=Department.objects.first())
        if role == Role.DEPARTMENT
        else factories.UserFactory(role=role)
    )
    assert client.get(run.get_absolute_url()).status_code == 200
    recommendation = run.recommendations.first()
    assert (
        client.post(
            reverse("pairing:recommendation_action", args=[recommendation.pk, "accept"])
        ).status_code
        == 403
    )
    assert client.get(reverse("pairing:matchingrun_add")).status_code == 403


def test_the_command_writes_the_recommendations(world, tmp_path):
    town, *_ = world
    out = tmp_path / "recommendations.xlsx"
    stdout = io.StringIO()
    call_command("match", town=town.name, out=out, stdout=stdout)
    assert "new recommendations" in stdout.getvalue()
    assert (
        load_workbook(out).active.max_row == 1 + MatchingRun.objects.get().recommendations.count()
    )
    with pytest.raises(CommandError):
        call_command("match", town="nowhere", out=out)
    with pytest.raises(CommandError):
        call_command("match", weights="0,0,0", out=out)


def test_a_synthetic_programme_gives_runs_candidates_and_costs_the_same_queries_at_any_size():
    """Synthetic enterprises have coordinates (runs over them find candidates), and a run
    stores its recommendations with their history in as many queries (inserts aside) for
    a whole city of 3,000 villages as for one town of 15."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cunqi.demo.synth import Scale, Synthesiser
    from cunqi.registry.models import Town

    scale = Scale(villages=3_000, enterprises=3_000, projects=1, months=1)
    Synthesiser(scale, seed=7, progress=lambda label, total: lambda done: None).run()
    counts = []
    for run in (
        MatchingRun.objects.create(town=Town.objects.first()),
        MatchingRun.objects.create(),
    ):
        with CaptureQueriesContext(connection) as queries:
            recommend.execute(run)
        run.refresh_from_db()
        assert run.status == MatchingRun.Status.DONE, run.message
        # Inserts come in batches (SQLite takes 999 parameters a statement); every other
        # query is made once per run, whatever its size.
        reads = [q for q in queries.captured_queries if not q["sql"].startswith("INSERT")]
        counts.append((len(reads), run.villages, run.recommendations.count()))
    (town_queries, town_villages, _), (city_queries, city_villages, recommended) = counts
    assert (town_villages, city_villages) == (15, 3_000)
    assert recommended > 100  # enterprises have coordinates: candidates exist
    assert LogEntry.objects.filter(object_repr__contains=" — ").count() >= recommended
    assert city_queries == town_queries, counts


def test_a_large_run_shows_its_recommendations_a_page_at_a_time_best_first():
    from auditlog.context import disable_auditlog

    from cunqi.pairing.selectors import RECOMMENDATIONS_PER_PAGE as PER_PAGE

    run = MatchingRun.objects.create(status=MatchingRun.Status.DONE)
    enterprise = factories.EnterpriseFactory(name="企业甲")
    villages = [factories.VillageFactory(name=f"村{i:03d}") for i in range(PER_PAGE * 2 + 5)]
    with disable_auditlog():
        Recommendation.objects.bulk_create(
            Recommendation(
                run=run, village=village, enterprise=enterprise, score=1 - i / 1000, distance_km=1
            )
            for i, village in enumerate(villages)
        )
    client = Client()
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))

    def shown(query: str) -> list[str]:
        page = client.get(run.get_absolute_url() + query)
        assert page.status_code == 200
        return [name for name in (v.name for v in villages) if f">{name}<" in page.content.decode()]

    assert shown("") == [v.name for v in villages[:PER_PAGE]]
    assert shown("?page=3") == [v.name for v in villages[PER_PAGE * 2 :]]
    # A page beyond the last, or not a number, shows a page rather than an error.
    assert shown("?page=99") == shown("?page=3")
    assert shown("?page=x") == shown("")
    # A decision returns to the page that shows the decided recommendation.
    decided = run.recommendations.get(village=villages[PER_PAGE + 3])
    response = client.post(
        reverse("pairing:recommendation_action", args=[decided.pk, "reject"]), {"reason": "远"}
    )
    assert response["Location"] == f"{run.get_absolute_url()}?page=2#recommendation-{decided.pk}"
