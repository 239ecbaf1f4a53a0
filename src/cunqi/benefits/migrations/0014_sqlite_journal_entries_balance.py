"""On SQLite too, no distribution is posted or reversed on a journal entry that does not
balance, and an entry is sealed once its distribution moves.

SQLite cannot defer a trigger to the commit as PostgreSQL does (0012). The same
guarantee comes from the moment a distribution's status becomes "posted" (or
"reversed"): its posting (or reversal) entry must then have lines summing to zero, and
from then on no line can be added to that entry (lines are append-only already, 0004).
"""

from django.db import migrations

_ENTRY_OF = (
    "(SELECT id FROM benefits_journalentry WHERE distribution_id = NEW.id AND kind = '{kind}')"
)
_UNBALANCED = (
    "NOT EXISTS (SELECT 1 FROM benefits_journalline WHERE entry_id = {entry}) "
    "OR (SELECT SUM(amount) FROM benefits_journalline WHERE entry_id = {entry}) <> 0"
)
SQLITE = [
    *(
        f"CREATE TRIGGER benefits_distribution_{status}_balances "
        f"BEFORE UPDATE OF status ON benefits_distribution "
        f"WHEN NEW.status = '{status}' AND OLD.status <> '{status}' "
        f"AND ({_UNBALANCED.format(entry=_ENTRY_OF.format(kind=kind))}) "
        f"BEGIN SELECT RAISE(ABORT, 'the {kind} entry of distribution does not balance'); END;"
        for status, kind in (("posted", "posting"), ("reversed", "reversal"))
    ),
    "CREATE TRIGGER benefits_journalline_sealed BEFORE INSERT ON benefits_journalline "
    "WHEN EXISTS (SELECT 1 FROM benefits_journalentry e "
    "JOIN benefits_distribution d ON d.id = e.distribution_id "
    "WHERE e.id = NEW.entry_id AND ((e.kind = 'posting' AND d.status IN ('posted', 'reversed')) "
    "OR (e.kind = 'reversal' AND d.status = 'reversed'))) "
    "BEGIN SELECT RAISE(ABORT, 'a posted journal entry is sealed'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS benefits_distribution_posted_balances;",
    "DROP TRIGGER IF EXISTS benefits_distribution_reversed_balances;",
    "DROP TRIGGER IF EXISTS benefits_journalline_sealed;",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("benefits", "0013_distribution_year_in_range")]

    operations = [migrations.RunPython(create, drop)]
