from datetime import date, timedelta

import chinese_calendar
import pytest
from chinese_calendar import constants

from workdays import services
from workdays.models import CalendarDay, Year
from workdays.services import (
    UnknownCalendarYear,
    is_working_day,
    nth_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db

SEEDED_SOURCE = f"chinese-calendar {chinese_calendar.__version__} (国务院办公厅通知)"


def days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


# --------------------------------------------------------------------- seed


def test_every_year_the_package_knows_is_seeded_complete():
    package_years = sorted(
        {d.year for d in constants.holidays} | {d.year for d in constants.workdays}
    )
    assert package_years[0] == 2004 and 2026 in package_years
    stored = list(Year.objects.order_by("year").values_list("year", "complete", "source"))
    assert stored == [(y, True, SEEDED_SOURCE) for y in package_years]
    assert not Year.objects.filter(year=2027).exists()


def test_seeded_calendar_agrees_with_the_package_on_every_day():
    first = min(constants.holidays)
    last = date(max(d.year for d in constants.holidays), 12, 31)
    mismatches = [
        d for d in days(first, last) if is_working_day(d) != chinese_calendar.is_workday(d)
    ]
    assert mismatches == []


def test_only_days_that_differ_from_the_weekday_rule_are_stored():
    for day, working in CalendarDay.objects.values_list("date", "is_working_day"):
        assert working == (day.weekday() >= 5), day


# --------------------------------------------------------------------- 2026 National Day


def test_national_day_2026_publicity_of_five_working_days_ends_on_october_12():
    assert nth_working_day(date(2026, 9, 30), 5) == date(2026, 10, 12)


def test_national_day_2026_days():
    assert is_working_day(date(2026, 9, 30))  # Wednesday before the holiday
    # The State Council notice: 10月1日至7日放假调休；9月20日（周日）、10月10日（周六）上班.
    # (Oct 8 is an ordinary Thursday; the package agrees.)
    for day in days(date(2026, 10, 1), date(2026, 10, 7)):
        assert not is_working_day(day), day
        assert not chinese_calendar.is_workday(day)
    assert is_working_day(date(2026, 10, 8))
    assert is_working_day(date(2026, 10, 10))  # Saturday, make-up working day
    assert is_working_day(date(2026, 9, 20))  # Sunday, make-up working day
    assert not is_working_day(date(2026, 10, 11))  # Sunday
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).name == "国庆节调休上班"
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"


def test_national_day_walk_counts_each_working_day():
    start = date(2026, 9, 30)
    assert [nth_working_day(start, n) for n in range(1, 6)] == [
        date(2026, 9, 30),
        date(2026, 10, 8),
        date(2026, 10, 9),
        date(2026, 10, 10),
        date(2026, 10, 12),
    ]


# --------------------------------------------------------------------- 2026 Spring Festival


def test_spring_festival_2026_matches_the_package():
    holidays = [
        d
        for d in days(date(2026, 2, 1), date(2026, 3, 8))
        if constants.holidays.get(d) == "Spring Festival"
    ]
    workdays = [
        d
        for d in days(date(2026, 2, 1), date(2026, 3, 8))
        if constants.workdays.get(d) == "Spring Festival"
    ]
    assert holidays == list(days(date(2026, 2, 15), date(2026, 2, 23)))
    assert workdays == [date(2026, 2, 14), date(2026, 2, 28)]


def test_spring_festival_2026():
    for day in days(date(2026, 2, 15), date(2026, 2, 23)):
        assert not is_working_day(day), day
    assert is_working_day(date(2026, 2, 14))  # Saturday, make-up working day
    assert is_working_day(date(2026, 2, 28))  # Saturday, make-up working day
    assert is_working_day(date(2026, 2, 24))
    # Published on Friday Feb 13: Feb 13, Sat 14, Tue 24, Wed 25, Thu 26.
    assert nth_working_day(date(2026, 2, 13), 5) == date(2026, 2, 26)
    # Feb 13 (Fri), 14 (Sat), 24–27 (Tue–Fri), 28 (Sat).
    assert working_days_between(date(2026, 2, 13), date(2026, 3, 1)) == 7


def test_start_on_a_holiday_counts_from_the_next_working_day():
    assert nth_working_day(date(2026, 2, 17), 1) == date(2026, 2, 24)
    assert nth_working_day(date(2026, 10, 3), 1) == date(2026, 10, 8)
    assert nth_working_day(date(2026, 10, 3), 3) == date(2026, 10, 10)


def test_weekday_only_period():
    # 2026-03-02 (Mon) … no holiday until Qingming.
    assert nth_working_day(date(2026, 3, 2), 5) == date(2026, 3, 6)
    assert nth_working_day(date(2026, 3, 5), 5) == date(2026, 3, 11)  # skips the weekend
    assert nth_working_day(date(2026, 3, 7), 1) == date(2026, 3, 9)  # starts on Saturday
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 15)) == 10
    assert working_days_between(date(2026, 3, 15), date(2026, 3, 2)) == 0


@pytest.mark.parametrize("n", [0, -1, 1.5, True, "5"])
def test_n_must_be_a_positive_integer(n):
    with pytest.raises(ValueError):
        nth_working_day(date(2026, 3, 2), n)


# --------------------------------------------------------------------- unknown years


def test_2027_is_unknown_before_it_is_entered():
    with pytest.raises(UnknownCalendarYear) as info:
        is_working_day(date(2027, 3, 1))
    assert info.value.year == 2027
    assert str(info.value) == (
        "工作日历尚未录入2027年的节假日安排，请管理员先录入该年度国务院办公厅通知。"
    )
    with pytest.raises(UnknownCalendarYear, match="2027年"):
        nth_working_day(date(2027, 3, 1), 1)


def test_a_year_before_the_seed_is_unknown_too():
    with pytest.raises(UnknownCalendarYear, match="2003年"):
        is_working_day(date(2003, 6, 2))


def test_walk_that_crosses_into_an_unknown_year_raises():
    # Dec 28–31 2026 are Mon–Thu: four working days, the fifth would be in 2027.
    assert nth_working_day(date(2026, 12, 28), 4) == date(2026, 12, 31)
    with pytest.raises(UnknownCalendarYear) as info:
        nth_working_day(date(2026, 12, 28), 5)
    assert info.value.year == 2027
    with pytest.raises(UnknownCalendarYear, match="2027"):
        working_days_between(date(2026, 12, 1), date(2027, 1, 10))


def test_an_incomplete_year_is_unknown_even_with_days_entered(django_user_model):
    services.calendar_day_save(actor=None, day=date(2027, 1, 1), is_working_day=False, name="元旦")
    assert Year.objects.get(year=2027).complete is False
    with pytest.raises(UnknownCalendarYear):
        is_working_day(date(2027, 1, 4))


def test_withdrawing_completeness_makes_a_year_unknown_at_once():
    assert is_working_day(date(2026, 10, 10))
    services.year_mark_incomplete(actor=None, year=2026, reason="核对国庆节安排")
    with pytest.raises(UnknownCalendarYear, match="2026"):
        is_working_day(date(2026, 10, 10))
    services.year_mark_complete(actor=None, year=2026)
    assert is_working_day(date(2026, 10, 10))


# --------------------------------------------------------------------- efficiency


def test_a_walk_inside_one_year_costs_two_queries_whatever_n(django_assert_num_queries):
    with django_assert_num_queries(2):
        assert nth_working_day(date(2026, 1, 5), 1) == date(2026, 1, 5)
    with django_assert_num_queries(2):
        nth_working_day(date(2026, 1, 5), 200)


def test_a_walk_across_a_year_end_costs_two_queries_per_year(django_assert_num_queries):
    with django_assert_num_queries(4):
        # Dec 29–31 (Mon–Wed), Sun Jan 4 (make-up working day), Mon Jan 5.
        assert nth_working_day(date(2025, 12, 29), 5) == date(2026, 1, 5)
