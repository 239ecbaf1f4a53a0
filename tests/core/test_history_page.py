"""A row's change history, as its page shows it: its own fields only, in the reader's
language."""

import pytest
from auditlog.models import LogEntry
from django.utils import translation

from cunqi.core.views import history_of
from tests import factories

pytestmark = pytest.mark.django_db


@translation.override("zh-hans")
def test_history_shows_the_rows_own_fields_not_its_reverse_relations():
    village = factories.VillageFactory(name="旧名村")
    village.name = "新名村"
    village.save()
    changed, created = history_of(village)
    assert (str(changed["action"]), str(created["action"])) == ("修改", "新建")
    assert changed["changes"] == {"名称": ["旧名村", "新名村"]}
    recorded = LogEntry.objects.get_for_object(village).earliest("pk").changes_dict
    assert "households" in recorded  # django-auditlog records reverse relations …
    assert "households" not in created["changes"]  # … which the page leaves out
    assert "名称" in created["changes"]
