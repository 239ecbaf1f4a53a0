"""The audit trail's security events, append-only on PostgreSQL: the database refuses to
change an event, and deletes one only for the archive (which says so for its own
transaction with ``SET LOCAL cunqi.archiving = 'on'``) and only once it is older than the
180 days protection level 3 asks to keep, whatever a setting says. TRUNCATE is left to
the table's owner, which the production role should not be (docs/deploy.md).
"""

from django.db import migrations, models
import django.utils.timezone

POSTGRES = """
CREATE FUNCTION core_security_event_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('cunqi.archiving', true) = 'on'
     AND OLD.at < now() - interval '180 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER core_security_event_append_only BEFORE UPDATE OR DELETE ON core_securityevent
  FOR EACH ROW EXECUTE FUNCTION core_security_event_guard();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS core_security_event_append_only ON core_securityevent;
DROP FUNCTION IF EXISTS core_security_event_guard();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0011_instruction_notifications'),
    ]

    operations = [
        migrations.CreateModel(
            name='SecurityEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                ('kind', models.CharField(max_length=60, verbose_name='event')),
                ('category', models.CharField(choices=[('sign_in', 'signing in and sessions'), ('refusal', 'refusal'), ('read', 'read or export of personal or payment data'), ('change', 'change of data'), ('admin', 'administration')], max_length=20, verbose_name='category')),
                ('outcome', models.CharField(choices=[('success', 'done'), ('failure', 'failed'), ('refused', 'refused')], max_length=20, verbose_name='outcome')),
                ('user_id', models.BigIntegerField(blank=True, null=True, verbose_name='user id')),
                ('username', models.CharField(blank=True, db_index=True, max_length=150, verbose_name='user')),
                ('address', models.CharField(blank=True, max_length=45, verbose_name='from where')),
                ('path', models.CharField(blank=True, max_length=300, verbose_name='page')),
                ('request_id', models.CharField(blank=True, max_length=64, verbose_name='request')),
                ('details', models.TextField(blank=True, verbose_name='what')),
            ],
            options={
                'verbose_name': 'security event',
                'verbose_name_plural': 'audit trail',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['category', 'at'], name='core_event_category_at')],
            },
        ),
        migrations.RunPython(create, drop),
    ]
