"""Scoped forms refuse any posted id at its field, even one no database could hold."""

import pytest
from django.http import QueryDict
from django.utils import translation

from cunqi.projects.forms import ProjectForm
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("huge", [str(2**63), "-99999999999999999999999", "1e400"])
def test_ids_beyond_what_a_database_holds_are_invalid_choices(huge):
    user = factories.UserFactory(role="taskforce")
    village = factories.VillageFactory()
    data = QueryDict(mutable=True)
    data.update({"industry": huge, "name": "x"})
    data.setlist("villages", [str(village.pk), huge])
    with translation.override("en"):
        form = ProjectForm(data, user=user)
        assert not form.is_valid()
        assert "valid choice" in form.errors["industry"][0]
        assert "not a valid value" in form.errors["villages"][0]
    form = ProjectForm({"industry": huge, "villages": [huge]}, user=user)
    assert {"industry", "villages"} <= set(form.errors)
