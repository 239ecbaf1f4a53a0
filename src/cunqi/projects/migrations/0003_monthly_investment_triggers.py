"""Keep projects_monthlyinvestment equal to the monthly sums of projects_investment.

Database triggers, not signals: they also hold for bulk inserts, QuerySet.update() and raw
SQL. PostgreSQL uses statement-level triggers with transition tables (one upsert per month
per statement, so a bulk import is not slowed row by row); SQLite has row triggers only.
Amounts are integer fen, so the sums are exact on both.
"""

from django.db import migrations

BACKFILL = """
DELETE FROM projects_monthlyinvestment;
INSERT INTO projects_monthlyinvestment (month, planned_total, completed_total, row_count)
SELECT month, SUM(planned_amount), SUM(completed_amount), COUNT(*) FROM projects_investment GROUP BY month;
"""

POSTGRES = """
CREATE FUNCTION projects_investment_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO projects_monthlyinvestment AS rollup (month, planned_total, completed_total, row_count)
  SELECT month, SUM(planned_amount), SUM(completed_amount), COUNT(*) FROM changed_rows GROUP BY month
  ON CONFLICT (month) DO UPDATE SET
    planned_total = rollup.planned_total + EXCLUDED.planned_total,
    completed_total = rollup.completed_total + EXCLUDED.completed_total,
    row_count = rollup.row_count + EXCLUDED.row_count;
  RETURN NULL;
END $$;

CREATE FUNCTION projects_investment_rollup_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE projects_monthlyinvestment AS rollup SET
    planned_total = rollup.planned_total - removed.planned,
    completed_total = rollup.completed_total - removed.completed,
    row_count = rollup.row_count - removed.rows
  FROM (SELECT month, SUM(planned_amount) AS planned, SUM(completed_amount) AS completed, COUNT(*) AS rows
        FROM removed_rows GROUP BY month) AS removed
  WHERE rollup.month = removed.month;
  RETURN NULL;
END $$;

CREATE FUNCTION projects_investment_rollup_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM projects_monthlyinvestment;
  RETURN NULL;
END $$;

CREATE TRIGGER projects_investment_rollup_insert AFTER INSERT ON projects_investment
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION projects_investment_rollup_add();
CREATE TRIGGER projects_investment_rollup_delete AFTER DELETE ON projects_investment
  REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION projects_investment_rollup_remove();
CREATE TRIGGER projects_investment_rollup_update_old AFTER UPDATE ON projects_investment
  REFERENCING OLD TABLE AS removed_rows FOR EACH STATEMENT EXECUTE FUNCTION projects_investment_rollup_remove();
CREATE TRIGGER projects_investment_rollup_update_new AFTER UPDATE ON projects_investment
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION projects_investment_rollup_add();
CREATE TRIGGER projects_investment_rollup_truncate AFTER TRUNCATE ON projects_investment
  FOR EACH STATEMENT EXECUTE FUNCTION projects_investment_rollup_clear();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS projects_investment_rollup_insert ON projects_investment;
DROP TRIGGER IF EXISTS projects_investment_rollup_delete ON projects_investment;
DROP TRIGGER IF EXISTS projects_investment_rollup_update_old ON projects_investment;
DROP TRIGGER IF EXISTS projects_investment_rollup_update_new ON projects_investment;
DROP TRIGGER IF EXISTS projects_investment_rollup_truncate ON projects_investment;
DROP FUNCTION IF EXISTS projects_investment_rollup_add();
DROP FUNCTION IF EXISTS projects_investment_rollup_remove();
DROP FUNCTION IF EXISTS projects_investment_rollup_clear();
"""

_SQLITE_ADD = """
  INSERT INTO projects_monthlyinvestment (month, planned_total, completed_total, row_count)
  VALUES (NEW.month, NEW.planned_amount, NEW.completed_amount, 1)
  ON CONFLICT (month) DO UPDATE SET
    planned_total = planned_total + excluded.planned_total,
    completed_total = completed_total + excluded.completed_total,
    row_count = row_count + 1;
"""
_SQLITE_REMOVE = """
  UPDATE projects_monthlyinvestment SET
    planned_total = planned_total - OLD.planned_amount,
    completed_total = completed_total - OLD.completed_amount,
    row_count = row_count - 1
  WHERE month = OLD.month;
"""
SQLITE = [
    f"CREATE TRIGGER projects_investment_rollup_insert AFTER INSERT ON projects_investment BEGIN {_SQLITE_ADD} END;",
    f"CREATE TRIGGER projects_investment_rollup_delete AFTER DELETE ON projects_investment BEGIN {_SQLITE_REMOVE} END;",
    "CREATE TRIGGER projects_investment_rollup_update AFTER UPDATE ON projects_investment "
    f"BEGIN {_SQLITE_REMOVE} {_SQLITE_ADD} END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS projects_investment_rollup_insert;",
    "DROP TRIGGER IF EXISTS projects_investment_rollup_delete;",
    "DROP TRIGGER IF EXISTS projects_investment_rollup_update;",
]


def _execute(schema_editor, statements) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _execute(schema_editor, [POSTGRES])
    elif vendor == "sqlite":
        _execute(schema_editor, SQLITE)
    else:
        raise NotImplementedError(f"no investment rollup triggers for {vendor}")
    _execute(schema_editor, [statement for statement in BACKFILL.split(";") if statement.strip()])


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _execute(schema_editor, [POSTGRES_DROP] if vendor == "postgresql" else SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_monthly_investment_rollup")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
