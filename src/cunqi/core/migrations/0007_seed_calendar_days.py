"""China's public holidays on weekdays and the weekend days worked in their place, for
the years chinesecalendar knows (2004 onwards, as announced by the State Council)."""

from django.db import migrations


def seed(apps, schema_editor):
    from chinese_calendar import constants

    CalendarDay = apps.get_model("core", "CalendarDay")
    chinese = {holiday.value: holiday.chinese for holiday in constants.Holiday}
    days = [
        CalendarDay(day=day, working=False, name=chinese.get(name, name))
        for day, name in constants.holidays.items()
        if day.weekday() < 5
    ] + [
        CalendarDay(day=day, working=True, name=chinese.get(name, name))
        for day, name in constants.workdays.items()
        if day.weekday() >= 5
    ]
    CalendarDay.objects.bulk_create(days, ignore_conflicts=True)


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0006_calendar_days")]

    operations = [migrations.RunPython(seed, unseed)]
