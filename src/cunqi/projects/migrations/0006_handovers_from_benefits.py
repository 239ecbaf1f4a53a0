"""Handovers belong to projects (a project's assets pass to the village): the models move
here from benefits, rows, history and all. The tables are renamed, and the content types
(which the change history points at) are moved, not made anew."""

import cunqi.core.fields
import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    for model in ("handover", "handoverasset"):
        content_types.objects.filter(app_label="projects", model=model).delete()
        content_types.objects.filter(app_label="benefits", model=model).update(
            app_label="projects"
        )


def restore_content_types(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(
        app_label="projects", model__in=("handover", "handoverasset")
    ).update(app_label="benefits")


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0005_seed_approval_stages'),
        ('registry', '0003_enterprise_uscc_normalised'),
        ('benefits', '0014_sqlite_journal_entries_balance'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        # The tables are there (benefits made them): only the state moves, then the names.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Handover',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('due_date', models.DateField(verbose_name='due')),
                        ('done_on', models.DateField(blank=True, null=True, verbose_name='handed over on')),
                        ('status', models.CharField(choices=[('pending', 'pending'), ('done', 'handed over')], default='pending', max_length=20, verbose_name='status')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                        ('project', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='handover', to='projects.project', verbose_name='project')),
                        ('receiving_village', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='handovers_received', to='registry.village', verbose_name='receiving village collective')),
                    ],
                    options={
                        'db_table': 'benefits_handover',
                        'verbose_name': 'handover (移交)',
                        'verbose_name_plural': 'handovers',
                        'ordering': ['due_date'],
                    },
                ),
                migrations.CreateModel(
                    name='HandoverAsset',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('name', models.CharField(max_length=100, verbose_name='asset')),
                        ('quantity', models.CharField(blank=True, max_length=50, verbose_name='quantity')),
                        ('value', cunqi.core.fields.MoneyField(validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='value (yuan)')),
                        ('handover', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assets', to='projects.handover', verbose_name='handover')),
                    ],
                    options={
                        'db_table': 'benefits_handoverasset',
                        'verbose_name': 'handover asset',
                        'verbose_name_plural': 'handover assets',
                        'ordering': ['handover', 'pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='handover',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('done_on__isnull', True), ('status', 'pending')), models.Q(('done_on__isnull', False), ('status', 'done')), _connector='OR'), name='handover_done_has_a_date', violation_error_message='A handover that is done has the date it was done, and only then.'),
                ),
                migrations.AddConstraint(
                    model_name='handoverasset',
                    constraint=models.CheckConstraint(condition=models.Q(('value__gte', 0)), name='handover_asset_value_not_negative'),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="handover", table=None),
        migrations.AlterModelTable(name="handoverasset", table=None),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
