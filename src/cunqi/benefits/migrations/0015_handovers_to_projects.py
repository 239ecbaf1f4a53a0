"""Handovers now belong to projects (projects/0006 moved their rows and history)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('benefits', '0014_sqlite_journal_entries_balance'),
        ('projects', '0006_handovers_from_benefits'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='handoverasset',
                    name='handover',
                ),
                migrations.DeleteModel(
                    name='Handover',
                ),
                migrations.DeleteModel(
                    name='HandoverAsset',
                ),
            ],
            database_operations=[],
        ),
    ]
