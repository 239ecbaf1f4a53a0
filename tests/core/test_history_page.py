"""A row's change history, as its page shows it: its own fields only, in the reader's
language."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.utils import translation

from cunqi.core.history import history_of
from tests import factories

pytestmark = pytest.mark.django_db


@translation.override("zh-hans")
def test_history_shows_the_rows_own_fields_not_its_reverse_relations():
    village = factories.VillageFactory(name="旧名村")
    village.name = "新名村"
    village.save()
    changed, created = history_of(village)
    assert (str(changed["action"]), str(created["action"])) == ("修改", "新建")
    assert changed["changes"] == [("名称", "旧名村", "新名村")]
    recorded = LogEntry.objects.get_for_object(village).earliest("pk").changes_dict
    assert "households" in recorded  # django-auditlog records reverse relations …
    created_fields = {name: (old, new) for name, old, new in created["changes"]}
    assert "households" not in created_fields  # … which the page leaves out
    # A new row's fields read as what they are, with no "None →" before them.
    assert created_fields["名称"] == (None, "旧名村")
    assert "None" not in {str(new) for _old, new in created_fields.values()}


@translation.override("zh-hans")
def test_a_value_cleared_or_first_set_reads_as_a_dash_not_none():
    village = factories.VillageFactory(latitude=None)
    village.latitude = Decimal("38.5")
    village.save()
    village.latitude = None
    village.save()
    cleared, set_, _created = history_of(village)
    assert cleared["changes"] == [("纬度", "38.500000", "—")]
    assert set_["changes"] == [("纬度", "—", "38.5")]
