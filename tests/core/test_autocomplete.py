"""Choices among many rows: only chosen options render, search is scoped."""

import pytest
from django.urls import reverse

from cunqi.core.roles import Role
from tests import factories
from tests.i18n import language_client
from tests.scoping_world import build_side, build_users


@pytest.fixture
def world(db):
    a, b = build_side("A"), build_side("B")
    return a, b, build_users(a)


def search(client, label: str, field: str, text: str, **extra) -> str:
    app_label, model_name = label.split(".")
    url = reverse("core:autocomplete", args=[app_label, model_name])
    return client.get(url, {"field": field, f"q-{field}": text, **extra}).content.decode()


def test_search_finds_only_rows_in_the_users_scope(world):
    a, b, users = world
    client = language_client("en")
    client.force_login(users[Role.TOWN])
    options = search(client, "registry.village", "villages", "村")
    assert f'value="{a.village.pk}"' in options
    assert f'value="{b.village.pk}"' not in options
    # Asking to keep another town's row "chosen" does not reveal it either.
    options = search(client, "registry.village", "villages", "", villages=b.village.pk)
    assert str(b.village) not in options


def test_search_matches_the_models_fields(world):
    a, _b, users = world
    client = language_client("en")
    client.force_login(users[Role.TASKFORCE])
    assert f'value="{a.enterprise.pk}"' in search(
        client, "registry.enterprise", "enterprise", a.enterprise.uscc[:12]
    )
    assert f'value="{a.enterprise.pk}"' not in search(
        client, "registry.enterprise", "enterprise", "没有这个"
    )


def test_unknown_models_and_anonymous_users_are_refused(world):
    client = language_client("en")
    assert client.get(reverse("core:autocomplete", args=["registry", "village"])).status_code == 302
    client.force_login(world[2][Role.TASKFORCE])
    assert client.get(reverse("core:autocomplete", args=["registry", "nothing"])).status_code == 404
    assert client.get(reverse("core:autocomplete", args=["auth", "user"])).status_code == 404


def test_a_filter_renders_only_the_chosen_town(world):
    a, _b, users = world
    for number in range(30):
        factories.TownFactory(name=f"多余的镇{number}")
    client = language_client("en")
    client.force_login(users[Role.TASKFORCE])
    page = client.get(reverse("registry:village_list"), {"town": a.town.pk}).content.decode()
    assert f'<option value="{a.town.pk}" selected>' in page
    assert "多余的镇" not in page


@pytest.mark.django_db
def test_every_scoped_model_searches_by_fields_it_has():
    """A search-as-you-type select may be offered for any scoped model: each names the
    fields it is searched by, and they exist (a Pairing searched by "name" answered 500)."""
    from django.apps import apps
    from django.core.exceptions import FieldError
    from django.db.models import Q

    from cunqi.core.models import ScopedModel

    broken = []
    for model in apps.get_models():
        # Reference tables (no scope) are plain selects, never searched.
        if issubclass(model, ScopedModel) and model.scope_paths is not None:
            for name in model.autocomplete_fields:
                try:
                    model.objects.filter(Q(**{f"{name}__icontains": "x"})).exists()
                except FieldError:
                    broken.append(f"{model._meta.label}.{name}")
    assert broken == []
