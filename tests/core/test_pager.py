"""Lists and long detail sections page through their rows with one pager."""

import pytest
from django.test import Client
from django.urls import reverse

from cunqi.core.roles import Role
from cunqi.core.views import PER_PAGE
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_long_list_pages_keeping_its_filters():
    town = factories.TownFactory()
    factories.VillageFactory.create_batch(PER_PAGE + 1, town=town)
    client = Client()
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    url = reverse("registry:village_list")
    first = client.get(url, {"town": town.pk}).content.decode()
    assert f"?town={town.pk}&amp;page=2" in first and "第 1 页，共 2 页" in first
    second = client.get(url, {"town": town.pk, "page": 2}).content.decode()
    assert "page=1" in second and "page=3" not in second
