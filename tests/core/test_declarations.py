"""The apps' declarations agree: every model with pages is recorded in the history, in
the scoping matrix, and reachable from the menu (directly, or as a table on the page of
a row it belongs to); every Excel kind is of a model with pages (and so a door)."""

import pytest
from auditlog.registry import auditlog
from django.apps import apps

import cunqi.urls  # noqa: F401  (fills REGISTRY with the pages)
from cunqi.core import declarations
from cunqi.core.panels import panels_for
from cunqi.core.views import REGISTRY
from cunqi.exchange.kinds import KINDS
from tests.core.test_scoping_matrix import MATRIX
from tests.scoping_world import REFERENCE, build_side

PAGES = set(REGISTRY)


def test_every_model_with_pages_is_in_the_history():
    assert {model for model in PAGES if not auditlog.contains(model)} == set()


def _in_menu() -> set:
    found = set()
    for entry in declarations.menu():
        for item in entry.menu_items():
            found.add(apps.get_model(item.model))
    return found


def _shown_on_other_pages() -> set:
    found = set()
    for model, views in REGISTRY.items():
        found.update(section.views().model for section in views.sections)
        found.update(panel.related_views().model for panel in panels_for(model) if panel.views)
    return found


def test_every_model_with_pages_is_reached_from_the_menu():
    assert PAGES - _in_menu() - _shown_on_other_pages() == set()
    assert _in_menu() <= PAGES


@pytest.mark.django_db
def test_every_model_with_pages_is_in_the_scoping_matrix():
    side = build_side("A")
    tried = {type(row(side)) for row, *_rest in MATRIX.values()}
    tried |= {type(build(side)) for build in REFERENCE.values()}
    assert PAGES - tried == set()


def test_every_excel_kind_is_of_a_model_with_pages():
    assert {kind.code for kind in KINDS.values() if kind.model not in PAGES} == set()


def test_every_cockpit_model_exists():
    assert all(apps.get_model(label) for label in declarations.cockpit_models())
