"""Boundaries of the working-day calendar: the write path's return values, and
properties of ``nth_working_day`` over the seeded years (hypothesis)."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from workdays import services
from workdays.models import CalendarDay, Year
from workdays.services import (
    is_working_day,
    nth_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db

# Years the seed (chinese-calendar) knows completely, away from its edges.
FIRST, LAST = date(2005, 1, 1), date(2025, 10, 31)
PROPS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --------------------------------------------------------------------- write path returns


def test_year_save_returns_the_created_then_the_changed_row():
    created = services.year_save(actor=None, year=2031, source="国办发明电〔2030〕7号", note="初录")
    assert isinstance(created, Year) and created.pk is not None
    assert (created.year, created.complete, created.source, created.note) == (
        2031,
        False,
        "国办发明电〔2030〕7号",
        "初录",
    )
    assert Year.objects.get(year=2031).pk == created.pk

    changed = services.year_save(actor=None, year=2031, source="国办发明电〔2030〕7号", note="改")
    assert changed.pk == created.pk and changed.note == "改"
    assert Year.objects.get(year=2031).note == "改"

    same = services.year_save(actor=None, year=2031, source="国办发明电〔2030〕7号", note="改")
    assert same.pk == created.pk and same.note == "改"
    assert AuditEvent.objects.filter(action="workdays.year_change").count() == 1


def test_mark_complete_and_incomplete_return_the_year_in_its_new_state():
    day = services.calendar_day_save(
        actor=None, day=date(2031, 1, 1), is_working_day=False, name="元旦"
    )
    done = services.year_mark_complete(actor=None, year=2031)
    assert isinstance(done, Year) and done.year == 2031 and done.complete is True
    assert done.year == day.year_id
    again = services.year_mark_complete(actor=None, year=2031)
    assert again.pk == done.pk and again.complete is True
    assert AuditEvent.objects.filter(action="workdays.year_complete").count() == 1

    undone = services.year_mark_incomplete(actor=None, year=2031, reason="核对")
    assert undone.pk == done.pk and undone.complete is False
    assert services.year_mark_incomplete(actor=None, year=2031).complete is False
    assert AuditEvent.objects.filter(action="workdays.year_incomplete").count() == 1


def test_calendar_day_save_returns_the_stored_day_new_changed_and_unchanged():
    added = services.calendar_day_save(
        actor=None, day=date(2031, 10, 1), is_working_day=False, name=" 国庆节 ", source="通知"
    )
    assert isinstance(added, CalendarDay) and added.pk is not None
    assert (added.date, added.is_working_day, added.name, added.source) == (
        date(2031, 10, 1),
        False,
        "国庆节",
        "通知",
    )
    assert added.year.year == 2031

    renamed = services.calendar_day_save(
        actor=None, day=date(2031, 10, 1), is_working_day=False, name="国庆节假期", source="通知"
    )
    assert renamed.pk == added.pk and renamed.name == "国庆节假期"
    assert CalendarDay.objects.get(date=date(2031, 10, 1)).name == "国庆节假期"

    unchanged = services.calendar_day_save(
        actor=None, day=date(2031, 10, 1), is_working_day=False, name="国庆节假期", source="通知"
    )
    assert unchanged.pk == added.pk and unchanged.name == "国庆节假期"
    assert AuditEvent.objects.filter(action="workdays.day_add").count() == 1
    assert AuditEvent.objects.filter(action="workdays.day_change").count() == 1


def test_calendar_day_delete_returns_true_only_when_a_day_was_removed():
    services.calendar_day_save(actor=None, day=date(2031, 10, 1), is_working_day=False, name="国庆")
    assert services.calendar_day_delete(actor=None, day=date(2031, 10, 1)) is True
    assert not CalendarDay.objects.filter(date=date(2031, 10, 1)).exists()
    # absent day of a known year, and a day of a year that has no row at all
    assert services.calendar_day_delete(actor=None, day=date(2031, 10, 1)) is False
    assert services.calendar_day_delete(actor=None, day=date(2033, 10, 1)) is False
    assert AuditEvent.objects.filter(action="workdays.day_delete").count() == 1


def test_import_result_reports_exactly_what_changed():
    rows = [
        services.DayRow(date(2031, 1, 1), False, "元旦"),
        services.DayRow(date(2031, 1, 4), True, "元旦调休上班"),  # a Saturday
    ]
    first = services.import_days(actor=None, year=2031, rows=rows, source="通知", complete=True)
    assert (first.added, first.changed, first.unchanged) == (["2031-01-01", "2031-01-04"], [], [])
    assert first.completed is True and first.complete is True and first.changed_anything
    second = services.import_days(actor=None, year=2031, rows=rows[:1], source="通知")
    assert second.unchanged == ["2031-01-01"] and second.not_in_file == ["2031-01-04"]
    assert second.completed is False and second.complete is True
    assert not second.changed_anything


# --------------------------------------------------------------------- the counting boundary


def test_a_start_on_a_working_day_is_the_first_day():
    # 2026-09-30 is a Wednesday (working day): n=1 is that very day, not the next one
    assert nth_working_day(date(2026, 9, 30), 1) == date(2026, 9, 30)
    # 2026-10-10 is a Saturday make-up working day: counted
    assert nth_working_day(date(2026, 10, 10), 1) == date(2026, 10, 10)
    assert nth_working_day(date(2026, 10, 10), 2) == date(2026, 10, 12)
    assert working_days_between(date(2026, 9, 30), date(2026, 9, 30)) == 1
    assert working_days_between(date(2026, 10, 1), date(2026, 10, 7)) == 0
    assert working_days_between(date(2026, 10, 2), date(2026, 10, 1)) == 0


# --------------------------------------------------------------------- properties


@PROPS
@given(
    start=st.dates(min_value=FIRST, max_value=LAST),
    n=st.integers(min_value=1, max_value=40),
)
def test_nth_working_day_properties(start, n):
    result = nth_working_day(start, n)
    assert result >= start
    assert is_working_day(result)
    assert chinese_calendar.is_workday(result)  # the official arrangement agrees
    assert working_days_between(start, result) == n
    # nothing earlier already reached n
    assert working_days_between(start, result - timedelta(days=1)) == n - 1
    following = nth_working_day(start, n + 1)
    assert following > result
    assert working_days_between(result + timedelta(days=1), following) == 1


@PROPS
@given(
    start=st.dates(min_value=FIRST, max_value=LAST),
    span=st.integers(min_value=0, max_value=45),
)
def test_working_days_between_matches_a_day_by_day_count(start, span):
    end = start + timedelta(days=span)
    expected = sum(
        1 for i in range(span + 1) if chinese_calendar.is_workday(start + timedelta(days=i))
    )
    assert working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("year", "allowed"), [(1999, False), (2000, True), (2100, True), (2101, False)]
)
def test_year_range_is_inclusive(year, allowed):
    if allowed:
        assert services.year_save(actor=None, year=year).year == year
    else:
        with pytest.raises(services.CalendarError, match=f"年份{year}超出范围"):
            services.year_save(actor=None, year=year)
        assert not Year.objects.filter(year=year).exists()


def test_a_year_with_only_make_up_working_days_cannot_be_complete():
    services.calendar_day_save(
        actor=None, day=date(2031, 1, 4), is_working_day=True, name="元旦调休上班"
    )
    with pytest.raises(services.CalendarError, match="尚未录入任何节假日"):
        services.year_mark_complete(actor=None, year=2031)
    assert Year.objects.get(year=2031).complete is False


def test_import_with_replace_removes_days_not_in_the_file():
    rows = [
        services.DayRow(date(2031, 1, 1), False, "元旦"),
        services.DayRow(date(2031, 1, 4), True, "元旦调休上班"),
    ]
    services.import_days(actor=None, year=2031, rows=rows, source="通知")
    result = services.import_days(actor=None, year=2031, rows=rows[:1], source="通知", replace=True)
    assert result.removed == ["2031-01-04"] and result.not_in_file == []
    assert list(CalendarDay.objects.filter(year=2031).values_list("date", flat=True)) == [
        date(2031, 1, 1)
    ]
