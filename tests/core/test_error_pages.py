"""A missing, hidden or forbidden page answers in the reader's language, inside the site's
frame with its menu and a way home; a crash answers with a page of its own that needs
nothing of the request."""

import pytest
from django.test import Client
from django.urls import reverse

from cunqi.core.roles import Role
from cunqi.dashboard import views
from tests import factories
from tests.i18n import language_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "language, words", [("zh-hans", "没有该页面"), ("en", "There is no such page")]
)
def test_a_missing_or_hidden_row_is_a_404_with_the_menu_and_a_way_home(language, words):
    village = factories.VillageFactory()
    hidden = factories.ProjectFactory()  # another village's project
    client = language_client(language)
    client.force_login(factories.UserFactory(role=Role.VILLAGE, village=village))
    for url in (hidden.get_absolute_url(), "/projects/project/999999/", "/no/such/page/"):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 404, url
        assert words in page, url
        assert 'id="navbar-menu"' in page and f'href="{reverse("dashboard:home")}"' in page


def test_a_forbidden_page_is_a_403_with_a_way_home():
    client = language_client("en")
    client.force_login(factories.UserFactory(role=Role.VILLAGE, village=factories.VillageFactory()))
    response = client.get(reverse("pairing:matchingrun_add"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "This cannot be done here" in page and f'href="{reverse("dashboard:home")}"' in page


def test_an_anonymous_visitors_404_leads_to_the_public_page():
    response = Client().get("/no/such/page/")
    assert response.status_code in (302, 404)
    if response.status_code == 404:
        assert reverse("dashboard:public") in response.content.decode()


def test_a_crash_answers_with_its_own_page(client, monkeypatch):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "home_for", broken)
    client.raise_request_exception = False
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 500
    assert "Cunqi" in response.content.decode() or "村企" in response.content.decode()


def test_the_service_worker_is_served_from_the_root_to_anyone_never_cached():
    response = Client().get(reverse("service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert b'addEventListener("fetch"' in response.content
