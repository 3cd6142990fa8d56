"""Seed every year that the pinned chinese-calendar package knows.

The package's tables (``chinese_calendar.constants.holidays`` / ``workdays``)
transcribe the State Council General Office notices. We store only the days
that differ from the Monday–Friday rule: holidays on weekdays and weekend
make-up working days. Years are read from the package, not hard-coded.
"""

from django.db import migrations


def _source():
    import chinese_calendar

    return f"chinese-calendar {chinese_calendar.__version__} (国务院办公厅通知)"


def _chinese_names():
    from chinese_calendar.constants import Holiday

    # The official notices say 清明节 / 端午节 / 中秋节; the package abbreviates.
    full = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}
    return {h.value: full.get(h.chinese, h.chinese) for h in Holiday}


def _name(english, names):
    return names.get(english, english)


def seed(apps, schema_editor):
    from chinese_calendar import constants

    Year = apps.get_model("workdays", "Year")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    source = _source()
    names = _chinese_names()

    rows = {}
    for day, english in constants.holidays.items():
        if day.weekday() < 5:
            rows[day] = (False, _name(english, names))
    for day, english in constants.workdays.items():
        if day.weekday() >= 5:
            rows[day] = (True, f"{_name(english, names)}调休上班")

    years = sorted({d.year for d in constants.holidays} | {d.year for d in constants.workdays})
    for year in years:
        Year.objects.update_or_create(
            year=year,
            defaults={
                "complete": True,
                "source": source,
                "note": "由 chinese-calendar 数据初始化（数据迁移 workdays.0002）。",
            },
        )
    existing = set(CalendarDay.objects.values_list("date", flat=True))
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                date=day,
                year_id=day.year,
                is_working_day=is_working,
                name=name,
                source=source,
            )
            for day, (is_working, name) in sorted(rows.items())
            if day not in existing
        ],
        batch_size=500,
    )


def unseed(apps, schema_editor):
    Year = apps.get_model("workdays", "Year")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    source = _source()
    CalendarDay.objects.filter(source=source).delete()
    Year.objects.filter(source=source, days__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]

