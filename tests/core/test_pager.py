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


def test_a_phone_sorts_a_list_whose_headers_it_hides_with_one_select():
    """On a phone a list is a stack of cards with no header to tap: a select in the filter
    form offers each sortable column both ways, shows the order in use and keeps it when a
    filter changes (the form sends it with the filters)."""
    town = factories.TownFactory()
    for name in ("乙村", "甲村", "丙村"):
        factories.VillageFactory(town=town, name=name)
    client = Client()
    client.force_login(factories.UserFactory(role=Role.TASKFORCE))
    url = reverse("registry:village_list")
    page = client.get(url, {"sort": "-name", "town": town.pk}, headers={"accept-language": "en"})
    html = page.content.decode()
    assert '<select class="form-select" id="sort-by" name="sort">' in html
    assert '<option value="-name" selected>' in html
    names = [row.name for row in page.context["table"].page.object_list.data]
    assert names == sorted(names, reverse=True)
    unsortable = [c.name for c in page.context["table"].columns if not c.orderable]
    assert not any(f'value="{name}"' in html for name in unsortable)
