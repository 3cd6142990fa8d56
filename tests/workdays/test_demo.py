"""The demo calendar: a marked demo arrangement for the years the demo needs, never elsewhere."""

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
import time_machine

from audit.models import AuditEvent
from workdays import demo, services
from workdays.models import CalendarDay, Year
from workdays.services import CalendarError, UnknownCalendarYear, is_working_day

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).resolve().parents[2]


def at(y, m, d):
    return time_machine.travel(dt.datetime(y, m, d, 10, tzinfo=SH), tick=False)


def test_early_december_leaves_next_year_as_a_to_do(settings):
    settings.DEBUG = True
    Year.objects.filter(year__gte=2027).delete()
    with at(2026, 12, 1):
        demo.seed({})
        demo.seed({})
    year = Year.objects.get(year=2027)
    assert (year.complete, year.is_demo, year.days.count()) == (False, False, 0)
    assert "尚未录入" in year.note and "2027年" in year.note
    with pytest.raises(UnknownCalendarYear):
        is_working_day(dt.date(2027, 1, 4))


def test_late_december_turns_the_untouched_to_do_into_a_demo_arrangement(settings):
    settings.DEBUG = True
    Year.objects.filter(year__gte=2027).delete()
    with at(2026, 12, 1):
        demo.seed({})
    with at(2026, 12, 28):
        demo.seed({})
        demo.seed({})
    year = Year.objects.get(year=2027)
    assert (year.complete, year.is_demo, year.days.count()) == (True, True, 0)
    assert "演示用安排" in year.source and "演示用安排" in year.note
    assert str(year) == "2027年（演示用安排）"
    # weekends off, no holidays: 1 January 2027 (Friday) is a working day in the demo
    assert is_working_day(dt.date(2027, 1, 1)) and not is_working_day(dt.date(2027, 1, 2))
    events = AuditEvent.objects.filter(action="workdays.demo_year")
    assert [e.to_state for e in events] == ["demo"]
    # the real 2026 arrangement is left as it is
    assert Year.objects.get(year=2026).is_demo is False


def test_two_years_ahead_the_demo_enters_the_missing_years_it_needs(settings):
    settings.DEBUG = True
    Year.objects.filter(year__gte=2027).delete()
    with at(2028, 1, 10):
        demo.seed({})
    demo_years = list(Year.objects.filter(is_demo=True).values_list("year", flat=True))
    assert demo_years == [2027, 2028]  # the notice of 30 days ago falls in December 2027
    assert not Year.objects.filter(year=2029).exists() or not Year.objects.get(year=2029).complete


def test_demo_does_not_touch_a_year_being_entered(settings):
    settings.DEBUG = True
    Year.objects.filter(year__gte=2027).delete()
    services.calendar_day_save(
        actor=None, day=dt.date(2027, 1, 1), is_working_day=False, name="元旦"
    )
    with at(2026, 12, 28):
        demo.seed({})
    year = Year.objects.get(year=2027)
    assert (year.complete, year.is_demo, year.note) == (False, False, "")
    assert CalendarDay.objects.filter(year=2027).count() == 1


def test_demo_arrangement_needs_debug(settings):
    settings.DEBUG = False
    Year.objects.filter(year__gte=2027).delete()
    with pytest.raises(CalendarError, match="演示"):
        demo.enter_demo_year(2027)
    assert not Year.objects.filter(year=2027).exists()


def test_marking_complete_replaces_the_demo_arrangement_with_the_real_one(settings):
    settings.DEBUG = True
    Year.objects.filter(year__gte=2027).delete()
    demo.enter_demo_year(2027)
    services.calendar_day_save(
        actor=None, day=dt.date(2027, 1, 1), is_working_day=False, name="元旦"
    )
    year = services.year_mark_complete(actor=None, year=2027)
    assert (year.complete, year.is_demo) == (True, False)
    event = AuditEvent.objects.get(action="workdays.year_complete")
    assert (event.from_state, event.to_state) == ("demo", "complete")
    assert not is_working_day(dt.date(2027, 1, 1))


def test_marking_a_demo_year_incomplete_drops_the_demo_flag(settings):
    settings.DEBUG = True
    Year.objects.filter(year__gte=2027).delete()
    demo.enter_demo_year(2027)
    year = services.year_mark_incomplete(actor=None, year=2027)
    assert (year.complete, year.is_demo) == (False, False)
    with pytest.raises(UnknownCalendarYear):
        is_working_day(dt.date(2027, 1, 4))


def test_only_the_demo_module_creates_demo_arrangements():
    """The product never invents a calendar: no module but workdays/demo.py sets is_demo."""
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in {".venv", "tests", "var"} or "migrations" in rel.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "is_demo = True" in text or "enter_demo_year(" in text or "is_demo=True" in text:
            offenders.append(str(rel))
    assert offenders == ["workdays/demo.py"]


def test_the_admin_shows_a_demo_arrangement_as_such(settings, client):
    from tests.factories import UserFactory

    settings.DEBUG = True
    Year.objects.filter(year__gte=2027).delete()
    demo.enter_demo_year(2027)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    listing = client.get("/admin/workdays/year/").content.decode()
    assert "演示用安排" in listing  # the column
    page = client.get(f"/admin/workdays/year/{Year.objects.get(year=2027).pk}/change/")
    text = page.content.decode()
    assert "2027年（演示用安排）" in text and "仅周末休息" in text
