"""On PostgreSQL, every journal entry balances: its lines sum to zero and it has lines.

Checked by constraint triggers deferred to the commit, so that an entry and its lines
can be written in any order within the transaction, and enforced whatever writes them
(the services, QuerySet.update() or raw SQL). A line added to an old entry is its new last
line, so the entry is summed again. SQLite cannot defer a trigger; there the
services' own arithmetic, tested, is what holds.
"""

from django.db import migrations

POSTGRES = """
CREATE FUNCTION benefits_journal_entry_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  checked bigint;
  total numeric;
  lines bigint;
BEGIN
  IF TG_TABLE_NAME = 'benefits_journalentry' THEN
    checked := NEW.id;
  ELSE
    checked := NEW.entry_id;
    -- Sum an entry once, at its last line (found by index), not once per line.
    IF NEW.id <> (SELECT id FROM benefits_journalline WHERE entry_id = checked
                  ORDER BY id DESC LIMIT 1) THEN
      RETURN NULL;
    END IF;
  END IF;
  SELECT COALESCE(SUM(amount), 0), COUNT(*) INTO total, lines
    FROM benefits_journalline WHERE entry_id = checked;
  IF lines = 0 THEN
    RAISE EXCEPTION 'journal entry % has no lines', checked
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF total <> 0 THEN
    RAISE EXCEPTION 'journal entry % does not balance: its lines sum to %', checked, total
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER benefits_journalentry_balances AFTER INSERT ON benefits_journalentry
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION benefits_journal_entry_balances();
CREATE CONSTRAINT TRIGGER benefits_journalline_balances AFTER INSERT ON benefits_journalline
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION benefits_journal_entry_balances();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS benefits_journalentry_balances ON benefits_journalentry;
DROP TRIGGER IF EXISTS benefits_journalline_balances ON benefits_journalline;
DROP FUNCTION IF EXISTS benefits_journal_entry_balances();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("benefits", "0011_journal_line_entry_index")]

    operations = [migrations.RunPython(create, drop)]
