"""The change history cannot be rewritten: on PostgreSQL the database refuses it."""

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, connection, transaction

from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger"),
]


@pytest.mark.parametrize("operation", ["update", "delete", "raw"])
def test_history_is_append_only(operation):
    village = factories.VillageFactory()
    village.name = "改名村"
    village.save()
    entry = LogEntry.objects.get_for_object(village).latest("pk")
    with pytest.raises(IntegrityError), transaction.atomic():
        if operation == "update":
            LogEntry.objects.filter(pk=entry.pk).update(changes={})
        elif operation == "delete":
            LogEntry.objects.filter(pk=entry.pk).delete()
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE auditlog_logentry SET actor_id = NULL WHERE id = %s", [entry.pk]
                )
    assert LogEntry.objects.get(pk=entry.pk).changes == entry.changes
