import pytest
from django.urls import reverse

from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


@pytest.fixture
def world(db):
    side = build_side("A")
    return side, build_users(side)


def params(**changes):
    data = {
        "annual_profit": "1000000",
        "growth_percent": "0",
        "discount_percent": "0",
        "income_years": "15",
        "years_after": "5",
        "s1_0": "10",
        "s1_1": "10",
        "s1_2": "41",
        "s1_3": "39",
        "s2_0": "30",
        "s2_1": "0",
        "s2_2": "70",
        "s2_3": "0",
    }
    data.update(changes)
    return data


def test_structures_are_compared_side_by_side(world):
    side, users = world
    client = language_client("en")
    client.force_login(users["village"])
    url = reverse("benefits:project_projection", args=[side.project.pk])
    assert "10" in client.get(url).content.decode()  # prefilled from the project's structure
    response = client.get(url, params())
    results = response.context["results"]
    assert [str(value) for value in results[0][2].npv] == [
        "6500000.00",
        "1500000.00",
        "6150000.00",
        "5850000.00",
    ]
    assert [str(value) for value in results[1][2].npv] == [
        "9500000.00",
        "0.00",
        "10500000.00",
        "0.00",
    ]
    assert "6,500,000.00" in response.content.decode()


def test_a_structure_not_summing_to_100_is_refused_with_a_message(world):
    side, users = world
    client = language_client("en")
    client.force_login(users["taskforce"])
    response = client.get(
        reverse("benefits:project_projection", args=[side.project.pk]), params(s1_3="38")
    )
    assert response.status_code == 200
    assert not response.context["results"]
    assert "must sum to exactly 100%" in response.content.decode()


def test_another_towns_project_is_not_found(world):
    side, _users = world
    other = build_side("B")
    client = language_client("en")
    client.force_login(build_users(other)["town"])
    assert (
        client.get(reverse("benefits:project_projection", args=[side.project.pk])).status_code
        == 404
    )
