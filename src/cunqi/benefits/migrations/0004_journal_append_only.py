"""The journal is append-only, and a distribution's payouts freeze once it is approved.

Enforced by the database, so neither the admin, QuerySet.update() nor raw SQL can edit
or delete a posted entry: a correction is a reversal entry plus a new distribution.
TRUNCATE is left to the table owner (test flushes use it); a production role without
ownership of these tables cannot truncate them.
"""

from django.db import migrations

POSTGRES = """
CREATE FUNCTION benefits_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER benefits_journalentry_append_only BEFORE UPDATE OR DELETE ON benefits_journalentry
  FOR EACH ROW EXECUTE FUNCTION benefits_refuse_change();
CREATE TRIGGER benefits_journalline_append_only BEFORE UPDATE OR DELETE ON benefits_journalline
  FOR EACH ROW EXECUTE FUNCTION benefits_refuse_change();

CREATE FUNCTION benefits_payout_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM benefits_distribution
             WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.distribution_id ELSE OLD.distribution_id END
               AND status <> 'draft') THEN
    RAISE EXCEPTION 'the payouts of an approved distribution cannot change'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER benefits_payout_frozen BEFORE INSERT OR UPDATE OR DELETE ON benefits_payout
  FOR EACH ROW EXECUTE FUNCTION benefits_payout_frozen();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS benefits_journalentry_append_only ON benefits_journalentry;
DROP TRIGGER IF EXISTS benefits_journalline_append_only ON benefits_journalline;
DROP TRIGGER IF EXISTS benefits_payout_frozen ON benefits_payout;
DROP FUNCTION IF EXISTS benefits_refuse_change();
DROP FUNCTION IF EXISTS benefits_payout_frozen();
"""

_FROZEN_PAYOUT = (
    "(SELECT status FROM benefits_distribution WHERE id = {side}.distribution_id) <> 'draft'"
)
SQLITE = [
    *(
        f"CREATE TRIGGER benefits_{table}_no_{operation} BEFORE {operation.upper()} ON benefits_{table} "
        f"BEGIN SELECT RAISE(ABORT, 'benefits_{table} rows are append-only'); END;"
        for table in ("journalentry", "journalline")
        for operation in ("update", "delete")
    ),
    *(
        f"CREATE TRIGGER benefits_payout_no_{operation} BEFORE {operation.upper()} ON benefits_payout "
        f"WHEN {_FROZEN_PAYOUT.format(side=side)} "
        "BEGIN SELECT RAISE(ABORT, 'the payouts of an approved distribution cannot change'); END;"
        for operation, side in (("insert", "NEW"), ("update", "OLD"), ("delete", "OLD"))
    ),
]
SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS benefits_{table}_no_{operation};"
      for table in ("journalentry", "journalline") for operation in ("update", "delete")),
    *(f"DROP TRIGGER IF EXISTS benefits_payout_no_{operation};" for operation in ("insert", "update", "delete")),
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"no journal triggers for {vendor}")
    for statement in [POSTGRES] if vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [POSTGRES_DROP] if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("benefits", "0003_distributions_and_journal")]

    operations = [migrations.RunPython(create, drop)]
