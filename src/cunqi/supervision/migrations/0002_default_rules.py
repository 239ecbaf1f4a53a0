"""The card rules the programme starts with (the task force can change them)."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = (
    {"rule": "investment_progress", "yellow_below": Decimal(90), "red_below": Decimal(60)},
    {"rule": "report_timeliness", "due_day": 10, "red_after_missing": 2},
    {"rule": "pairing_leader"},
    {"rule": "action_item_overdue"},
)


def seed(apps, schema_editor):
    setting = apps.get_model("supervision", "RuleSetting")
    for values in DEFAULTS:
        setting.objects.update_or_create(rule=values["rule"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
