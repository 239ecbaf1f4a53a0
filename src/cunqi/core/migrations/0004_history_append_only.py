"""On PostgreSQL the change history (django-auditlog's log entries) is append-only: the
database refuses to update or delete an entry, whatever asks (the admin, QuerySet.update(),
raw SQL). A user with history therefore cannot be deleted, only deactivated, which is what
the platform does. TRUNCATE is left to the table's owner (test flushes use it); the
production role should not own the table (docs/deploy.md).
"""

from django.db import migrations

POSTGRES = """
CREATE FUNCTION core_history_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the change history is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER core_history_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
  FOR EACH ROW EXECUTE FUNCTION core_history_refuse_change();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS core_history_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS core_history_refuse_change();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_notifications"), ("auditlog", "0017_add_actor_email")]

    operations = [migrations.RunPython(create, drop)]
