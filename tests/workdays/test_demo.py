from datetime import date

import pytest

from workdays import demo
from workdays.models import CalendarDay, Year
from workdays.services import UnknownCalendarYear, is_working_day

pytestmark = pytest.mark.django_db


def test_demo_leaves_2027_to_enter_and_is_idempotent():
    demo.seed({})
    demo.seed({})
    year = Year.objects.get(year=2027)
    assert (year.complete, year.days.count()) == (False, 0)
    assert "尚未录入" in year.note
    with pytest.raises(UnknownCalendarYear):
        is_working_day(date(2027, 1, 4))


def test_demo_does_not_touch_a_year_being_entered():
    from workdays import services

    services.calendar_day_save(actor=None, day=date(2027, 1, 1), is_working_day=False, name="元旦")
    demo.seed({})
    assert Year.objects.get(year=2027).note == ""
    assert CalendarDay.objects.filter(year=2027).count() == 1
