"""From 1 October, administrators and officers are told when next year's calendar is missing."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from tests.factories import UserFactory, applicant, officer
from workdays.models import Year
from workdays.readiness import calendar_warnings

pytestmark = pytest.mark.django_db
SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d):
    return time_machine.travel(dt.datetime(y, m, d, 10, tzinfo=SH), tick=False)


@pytest.fixture
def next_year_missing():
    Year.objects.filter(year__gte=2027).delete()


def test_no_warning_before_october(next_year_missing):
    with at(2026, 9, 30):
        assert calendar_warnings() == []


def test_warning_from_the_first_of_october(next_year_missing):
    with at(2026, 10, 1):
        [warning] = calendar_warnings()
    assert "2027年度工作日历尚未录入" in warning and "公示期" in warning


def test_incomplete_and_demo_years_are_warned_about(next_year_missing):
    Year.objects.create(year=2027, complete=False)
    with at(2026, 11, 15):
        [warning] = calendar_warnings()
    assert "2027年度工作日历尚未录入完整" in warning
    Year.objects.filter(year=2027).update(complete=True, is_demo=True)
    with at(2026, 11, 15):
        [warning] = calendar_warnings()
    assert "演示用安排" in warning


def test_no_warning_when_next_year_is_complete(next_year_missing):
    Year.objects.create(year=2027, complete=True, source="国办发明电〔2026〕")
    with at(2026, 10, 1):
        assert calendar_warnings() == []


def test_the_current_year_is_warned_about_at_any_time(next_year_missing):
    with at(2027, 3, 1):
        [warning] = calendar_warnings()
    assert "2027年度工作日历尚未录入" in warning and "从该年起" not in warning


def _home(client, user):
    client.force_login(user)
    return client.get("/").content.decode()


def test_home_page_warns_officers_and_administrators_only(client, next_year_missing):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    with at(2026, 10, 8):
        assert "2027年度工作日历尚未录入" in _home(client, officer(username="off1"))
        page = _home(client, admin)
        assert "工作日历提醒" in page and "2027年度工作日历尚未录入" in page
        assert "/admin/workdays/year/" in page
        assert "2027年度工作日历" not in _home(client, applicant(username="app1"))
        client.logout()
        assert "2027年度工作日历" not in client.get("/").content.decode()
    with at(2026, 9, 30):
        assert "工作日历提醒" not in _home(client, officer(username="off2"))


def test_admin_index_warns_until_the_year_is_complete(client, next_year_missing):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    with at(2026, 10, 8):
        page = client.get("/admin/").content.decode()
        assert "2027年度工作日历尚未录入" in page and "录入工作日历" in page
        Year.objects.create(year=2027, complete=True, source="国办发明电〔2026〕")
        page = client.get("/admin/").content.decode()
        assert "2027年度工作日历" not in page
