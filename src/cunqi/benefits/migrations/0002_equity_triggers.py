"""The database itself keeps equity structures whole.

- A structure can be marked complete only when its stakes sum to exactly 100% (shares
  are stored in hundredths of a percent, so the sum is 10000).
- The stakes of a complete structure cannot be inserted, changed or deleted: editing a
  structure opens it, rewrites the stakes and completes it again, in one transaction.
"""

from django.db import migrations

POSTGRES = """
CREATE FUNCTION benefits_structure_check_complete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.is_complete AND (TG_OP = 'INSERT' OR NOT OLD.is_complete) THEN
    IF (SELECT COALESCE(SUM(share), 0) FROM benefits_stake WHERE structure_id = NEW.id) <> 10000 THEN
      RAISE EXCEPTION 'equity stakes of structure % do not sum to 100%%', NEW.id USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION benefits_stake_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE structure_id bigint;
BEGIN
  structure_id := CASE WHEN TG_OP = 'DELETE' THEN OLD.structure_id ELSE NEW.structure_id END;
  IF EXISTS (SELECT 1 FROM benefits_equitystructure WHERE id = structure_id AND is_complete)
     OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM benefits_equitystructure WHERE id = OLD.structure_id AND is_complete)) THEN
    RAISE EXCEPTION 'the stakes of a complete equity structure cannot change' USING ERRCODE = 'check_violation';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER benefits_structure_check_complete BEFORE INSERT OR UPDATE ON benefits_equitystructure
  FOR EACH ROW EXECUTE FUNCTION benefits_structure_check_complete();
CREATE TRIGGER benefits_stake_frozen BEFORE INSERT OR UPDATE OR DELETE ON benefits_stake
  FOR EACH ROW EXECUTE FUNCTION benefits_stake_frozen();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS benefits_structure_check_complete ON benefits_equitystructure;
DROP TRIGGER IF EXISTS benefits_stake_frozen ON benefits_stake;
DROP FUNCTION IF EXISTS benefits_structure_check_complete();
DROP FUNCTION IF EXISTS benefits_stake_frozen();
"""

_SUM_IS_NOT_100 = "(SELECT COALESCE(SUM(share), 0) FROM benefits_stake WHERE structure_id = NEW.id) <> 10000"
_IS_COMPLETE = "(SELECT is_complete FROM benefits_equitystructure WHERE id = {side}.structure_id) = 1"
_FROZEN = "SELECT RAISE(ABORT, 'the stakes of a complete equity structure cannot change');"
SQLITE = [
    "CREATE TRIGGER benefits_structure_insert_complete BEFORE INSERT ON benefits_equitystructure "
    f"WHEN NEW.is_complete = 1 AND {_SUM_IS_NOT_100} "
    "BEGIN SELECT RAISE(ABORT, 'equity stakes do not sum to 100%'); END;",
    "CREATE TRIGGER benefits_structure_update_complete BEFORE UPDATE ON benefits_equitystructure "
    f"WHEN NEW.is_complete = 1 AND OLD.is_complete = 0 AND {_SUM_IS_NOT_100} "
    "BEGIN SELECT RAISE(ABORT, 'equity stakes do not sum to 100%'); END;",
    f"CREATE TRIGGER benefits_stake_insert_frozen BEFORE INSERT ON benefits_stake WHEN {_IS_COMPLETE.format(side='NEW')} BEGIN {_FROZEN} END;",
    "CREATE TRIGGER benefits_stake_update_frozen BEFORE UPDATE ON benefits_stake "
    f"WHEN {_IS_COMPLETE.format(side='NEW')} OR {_IS_COMPLETE.format(side='OLD')} BEGIN {_FROZEN} END;",
    f"CREATE TRIGGER benefits_stake_delete_frozen BEFORE DELETE ON benefits_stake WHEN {_IS_COMPLETE.format(side='OLD')} BEGIN {_FROZEN} END;",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "benefits_structure_insert_complete",
        "benefits_structure_update_complete",
        "benefits_stake_insert_frozen",
        "benefits_stake_update_frozen",
        "benefits_stake_delete_frozen",
    )
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"no equity triggers for {vendor}")
    for statement in [POSTGRES] if vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in [POSTGRES_DROP] if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
