import importlib

from django.db import migrations, models

# SQLite adds a column with a default by rebuilding the table, which drops its triggers:
# the investment rollup's are made again (and the rollup refilled) after it.
rollup = importlib.import_module("cunqi.projects.migrations.0003_monthly_investment_triggers")


def remake_rollup_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        rollup.drop_triggers(apps, schema_editor)
        rollup.create_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0006_handovers_from_benefits"),
    ]

    operations = [
        migrations.AddField(
            model_name="investment",
            name="reported",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="The completed amount is the month's accepted monthly report's figure.",
                verbose_name="from an accepted report",
            ),
        ),
        migrations.RunPython(remake_rollup_triggers, remake_rollup_triggers),
    ]
