"""The map: villages, enterprises, pairings and projects at their coordinates as the user
may see them, coloured by zone, card or investment; the public page's map shows the paired villages
and nothing more; boundaries are the deployment's file; no online tile anywhere."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cunqi.core import history
from cunqi.core.roles import Role
from cunqi.dashboard import maps, snapshot
from cunqi.registry.models import Enterprise, Village
from cunqi.supervision.models import Card
from tests.core.test_query_counts import against_baseline, count_queries, grow
from tests.scoping_world import build_side, build_users

pytestmark = pytest.mark.django_db


def place(*rows, at: tuple[str, str] = ("38.9", "110.3")) -> None:
    with history.recorded():
        for row in rows:
            type(row).objects.filter(pk=row.pk).update(
                latitude=Decimal(at[0]), longitude=Decimal(at[1])
            )


@pytest.fixture
def sides():
    a, b = build_side("A"), build_side("B")
    place(a.village, a.enterprise, at=("38.90", "110.30"))
    place(b.village, b.enterprise, at=("39.10", "110.60"))
    return a, b, build_users(a)


def test_each_user_sees_the_places_in_their_scope(sides):
    a, b, users = sides
    village = maps.layers_for(users[Role.VILLAGE])
    assert [point.name for point in village.villages] == [str(a.village)]
    assert [point.name for point in village.enterprises] == [str(a.enterprise)]
    assert len(village.pairings) == 1
    everyone = maps.layers_for(users[Role.TASKFORCE])
    assert {point.name for point in everyone.villages} == {str(a.village), str(b.village)}
    assert {point.url for point in everyone.projects} == {
        a.project.get_absolute_url(),
        b.project.get_absolute_url(),
    }
    assert [p.name for p in maps.layers_for(users[Role.TASKFORCE], zone=b.zone.pk).villages] == [
        str(b.village)
    ]


def test_places_without_coordinates_are_left_off(sides):
    a, _b, users = sides
    with history.recorded():
        Village.objects.filter(pk=a.village.pk).update(latitude=None)
        Enterprise.objects.filter(pk=a.enterprise.pk).update(longitude=None)
    layers = maps.layers_for(users[Role.TASKFORCE])
    assert str(a.village) not in {point.name for point in layers.villages}
    assert str(a.enterprise) not in {point.name for point in layers.enterprises}


def test_villages_take_the_band_of_the_investment_in_their_projects_in_scope(sides):
    from cunqi.projects.models import Project

    a, b, users = sides
    with history.recorded():
        Project.objects.filter(pk=a.project.pk).update(planned_investment=Decimal("12000000"))
        Project.objects.filter(pk=b.project.pk).update(planned_investment=Decimal("999999.99"))
    layers = maps.layers_for(users[Role.TASKFORCE], colour="investment")
    assert {p.name: p.group for p in layers.villages} == {
        str(a.village): "large",
        str(b.village): "small",
    }
    assert [maps.investment_band(Decimal(x)) for x in ("0", "0.01", "1000000", "10000000")] == [
        "none",
        "small",
        "medium",
        "large",
    ]
    with translation.override("en"):
        option = maps.option(layers, boundaries=False, colour="investment")
    names = [series["name"] for series in option["series"]][:2]
    assert names == ["projects of 10 million yuan or more", "projects under 1 million yuan"]


def test_villages_take_the_colour_of_their_worst_open_card(sides):
    a, b, users = sides
    with history.recorded():
        Card.objects.filter(project=a.project).update(colour=Card.Colour.RED, status="open")
        Card.objects.filter(project=b.project).update(status="cleared")
    layers = maps.layers_for(users[Role.TASKFORCE], colour="card")
    groups = {point.name: point.group for point in layers.villages}
    assert groups == {str(a.village): "red", str(b.village): ""}
    with translation.override("en"):
        option = maps.option(layers, boundaries=False, colour="card")
    names = [series["name"] for series in option["series"]]
    assert {"red card", "no open card"} <= set(names)


def test_the_view_is_the_points_extent_unless_boundaries_are_loaded(sides):
    _a, _b, users = sides
    layers = maps.layers_for(users[Role.TASKFORCE])
    blank = maps.option(layers, boundaries=False)
    (west, north), (east, south) = blank["geo"]["boundingCoords"]
    assert west < 110.30 < 110.60 < east and south < 38.90 < 39.10 < north
    assert "boundingCoords" not in maps.option(layers, boundaries=True)["geo"]
    assert "tiles" not in json.dumps(blank) and "http" not in json.dumps(blank)


def test_the_public_map_counts_paired_villages_by_town_and_names_none(sides):
    a, b, _users = sides
    unpaired = build_side("C").village
    pairing = unpaired.pairings.get()
    pairing.instructions.all().delete()
    with history.recorded():
        type(pairing).objects.filter(pk=pairing.pk).update(status="ended")
    place(unpaired, at=("39.0", "110.4"))
    snapshot.refresh()  # the public page reads the map from the cockpit's snapshot
    with translation.override("en"):
        public = maps.public_layers(maps.public_towns())
    with CaptureQueriesContext(connection) as made:
        page = Client().get(reverse("dashboard:public")).content.decode()
    assert not any("registry_village" in query["sql"] for query in made.captured_queries)
    assert 'id="map"' in page
    assert [(point.name, point.url, point.group) for point in public.villages] == [
        (f"{a.town.name}: 1 paired village", "", a.zone.name),
        (f"{b.town.name}: 1 paired village", "", b.zone.name),
    ]
    assert not public.enterprises and not public.projects and not public.pairings
    for hidden in (a.village, b.village, unpaired, a.enterprise):
        assert str(hidden) not in page
    assert "红牌" not in page and unpaired.town.name not in page


def test_the_map_page_for_each_role(sides):
    _a, _b, users = sides
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        response = client.get(reverse("dashboard:map"), {"colour": "card", "zone": "x"})
        assert response.status_code == 200, role


def test_boundaries_are_the_deployments_file(settings, tmp_path):
    assert Client().get(reverse("dashboard:boundaries")).status_code == 404
    geojson = tmp_path / "towns.geojson"
    geojson.write_text('{"type": "FeatureCollection", "features": []}')
    settings.CUNQI_MAP_GEOJSON = str(geojson)
    response = Client().get(reverse("dashboard:boundaries"))
    assert response.status_code == 200
    assert json.loads(b"".join(response.streaming_content)) == {
        "type": "FeatureCollection",
        "features": [],
    }


def test_map_queries_do_not_grow_with_rows():
    a = build_side("A")
    place(a.village, a.enterprise)
    client = Client()
    client.force_login(build_users(a)[Role.TASKFORCE])
    before = count_queries(client, reverse("dashboard:map") + "?colour=card")
    against_baseline("map", [before])
    grow(a)
    place(*Village.objects.all(), *Enterprise.objects.all())  # the grown rows are drawn too
    assert count_queries(client, reverse("dashboard:map") + "?colour=card") == before
