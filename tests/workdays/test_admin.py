from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from tests.factories import UserFactory, applicant
from workdays import services
from workdays.models import CalendarDay, Year
from workdays.services import UnknownCalendarYear, is_working_day, nth_working_day

pytestmark = pytest.mark.django_db

YEAR_ADD = "/admin/workdays/year/add/"
YEAR_LIST = "/admin/workdays/year/"
DAY_ADD = "/admin/workdays/calendarday/add/"
DAY_LIST = "/admin/workdays/calendarday/"


@pytest.fixture
def administrator():
    # Not a superuser: the administrator role's model permissions must be enough.
    return UserFactory(username="calendar_admin", is_staff=True, roles=["administrator"])


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def inline(rows, initial=0, prefix="days"):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                value = "on"
            if value is not False:
                data[f"{prefix}-{i}-{key}"] = value
    return data


def test_administrator_enters_2027_with_its_days_and_ticks_complete(admin_client, administrator):
    with pytest.raises(UnknownCalendarYear):
        is_working_day(date(2027, 1, 4))
    data = {
        "year": "2027",
        "source": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
        "note": "",
        "complete": "on",
        **inline(
            [
                {"date": "2027-01-01", "is_working_day": False, "name": "元旦", "source": "测试"},
                {
                    "date": "2027-02-20",
                    "is_working_day": True,
                    "name": "春节调休上班",
                    "source": "",
                },
                {"date": "", "name": "", "source": ""},
            ]
        ),
    }

    response = admin_client.post(YEAR_ADD, data)

    assert response.status_code == 302, response.content.decode()
    year = Year.objects.get(year=2027)
    assert (year.complete, year.entered_by) == (True, administrator)
    assert list(year.days.values_list("date", "is_working_day", "name")) == [
        (date(2027, 1, 1), False, "元旦"),
        (date(2027, 2, 20), True, "春节调休上班"),
    ]
    events = AuditEvent.objects.filter(target_id=str(year.pk)).order_by("pk")
    assert [(e.action, e.actor) for e in events] == [
        ("workdays.year_create", administrator),
        ("workdays.day_add", administrator),
        ("workdays.day_add", administrator),
        ("workdays.year_complete", administrator),
    ]
    assert events.last().to_state == "complete"
    assert is_working_day(date(2027, 2, 20))
    assert nth_working_day(date(2026, 12, 31), 2) == date(2027, 1, 4)


def test_administrator_adds_a_day_then_marks_the_year_complete(admin_client, administrator):
    services.year_save(actor=administrator, year=2027, source="测试通知")

    response = admin_client.post(
        DAY_ADD,
        {"date": "2027-10-01", "is_working_day": "", "name": "国庆节", "source": "测试通知"},
    )
    assert response.status_code == 302, response.content.decode()
    day = CalendarDay.objects.get(date=date(2027, 10, 1))
    assert (day.year_id, day.is_working_day, day.name) == (2027, False, "国庆节")

    year = Year.objects.get(year=2027)
    response = admin_client.post(
        YEAR_LIST, {"action": "mark_complete", "_selected_action": [year.pk]}, follow=True
    )
    assert "2027年已标记为完整。" in response.content.decode()
    year.refresh_from_db()
    assert year.complete and year.entered_by == administrator
    actions = list(
        AuditEvent.objects.filter(target_id=str(year.pk), actor=administrator)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["workdays.year_create", "workdays.day_add", "workdays.year_complete"]
    assert not is_working_day(date(2027, 10, 1))


def test_editing_and_deleting_a_day_in_the_year_form_is_audited(admin_client, administrator):
    services.calendar_day_save(actor=None, day=date(2027, 1, 1), is_working_day=False, name="元旦")
    services.calendar_day_save(actor=None, day=date(2027, 2, 8), is_working_day=False, name="春节")
    year = Year.objects.get(year=2027)
    first, second = year.days.order_by("date")
    data = {
        "source": "",
        "note": "更正",
        **inline(
            [
                {"id": str(first.pk), "year": "2027", "date": "2027-01-01", "name": "元旦节"},
                {
                    "id": str(second.pk),
                    "year": "2027",
                    "date": "2027-02-08",
                    "name": "春节",
                    "DELETE": True,
                },
            ],
            initial=2,
        ),
    }

    response = admin_client.post(f"/admin/workdays/year/{year.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()
    assert list(year.days.values_list("date", "name")) == [(date(2027, 1, 1), "元旦节")]
    events = AuditEvent.objects.filter(target_id=str(year.pk), actor=administrator)
    by_action = {e.action: e.data for e in events}
    assert by_action["workdays.day_change"]["old"]["name"] == "元旦"
    assert by_action["workdays.day_change"]["new"]["name"] == "元旦节"
    assert by_action["workdays.day_delete"]["old"]["date"] == "2027-02-08"
    assert by_action["workdays.year_change"]["new"]["note"] == "更正"


def test_a_holiday_on_a_weekend_is_refused_in_chinese_and_nothing_is_saved(admin_client):
    data = {
        "year": "2027",
        "source": "",
        "note": "",
        **inline([{"date": "2027-02-06", "is_working_day": False, "name": "春节", "source": ""}]),
    }

    response = admin_client.post(YEAR_ADD, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "2027-02-06是星期六，本来就是休息日，无需录入为节假日" in page
    assert 'value="春节"' in page  # what the user typed is kept
    assert not Year.objects.filter(year=2027).exists()


def test_ticking_complete_without_any_holiday_is_refused(admin_client):
    data = {
        "year": "2027",
        "source": "",
        "note": "",
        "complete": "on",
        **inline([{"date": "2027-02-20", "is_working_day": True, "name": "调休", "source": ""}]),
    }

    response = admin_client.post(YEAR_ADD, data)

    assert response.status_code == 200
    assert "尚未录入任何节假日的年度不能标记为完整，请先录入节假日。" in response.content.decode()
    assert not Year.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date=date(2027, 2, 20)).exists()


def test_a_make_up_day_on_a_weekday_is_refused_in_the_day_form(admin_client):
    response = admin_client.post(
        DAY_ADD, {"date": "2027-02-10", "is_working_day": "on", "name": "调休上班", "source": ""}
    )
    assert response.status_code == 200
    assert "2027-02-10是星期三，本来就是工作日；调休上班日只能是星期六或星期日。" in (
        response.content.decode()
    )
    assert not CalendarDay.objects.filter(date=date(2027, 2, 10)).exists()


def test_deleting_a_day_in_the_admin_goes_through_the_service(admin_client, administrator):
    day = CalendarDay.objects.get(date=date(2026, 10, 10))
    response = admin_client.post(f"/admin/workdays/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=date(2026, 10, 10)).exists()
    event = AuditEvent.objects.get(action="workdays.day_delete")
    assert (event.actor, event.data["old"]["name"]) == (administrator, "国庆节调休上班")


def test_admin_pages_are_in_chinese(admin_client):
    page = admin_client.get(YEAR_LIST).content.decode()
    assert "工作日历" in page and "日历年度" in page
    assert "工作日放假天数" in page and "调休上班天数" in page
    assert "将所选年度标记为完整" in page
    page = admin_client.get(YEAR_ADD).content.decode()
    assert "国务院办公厅关于××××年部分节假日安排的通知" in page
    assert "日历特殊日" in page


@pytest.mark.parametrize(
    "url,one,many",
    [
        (YEAR_LIST, "?q=2026", ""),
        (
            DAY_LIST,
            "?year__year__exact=2026&q=元旦调休上班",
            "?year__year__exact=2026&q=chinese-calendar",
        ),
    ],
)
@pytest.mark.query_count
def test_list_pages_cost_the_same_queries_at_one_and_many_rows(admin_client, url, one, many):
    with CaptureQueriesContext(connection) as small:
        first = admin_client.get(url + one)
    with CaptureQueriesContext(connection) as large:
        second = admin_client.get(url + many)
    assert first.status_code == second.status_code == 200
    assert first.context["cl"].result_count == 1 < second.context["cl"].result_count
    assert len(small) == len(large)


def test_a_non_staff_user_is_sent_to_the_admin_login(client):
    client.force_login(applicant())
    for url in (YEAR_LIST, YEAR_ADD, DAY_LIST):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    response = client.post(YEAR_ADD, {"year": "2027", **inline([])})
    assert response.status_code == 302
    assert not Year.objects.filter(year=2027).exists()


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(YEAR_LIST)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_staff_without_the_administrator_role_is_refused(client):
    client.force_login(UserFactory(is_staff=True, roles=["provincial_officer"]))
    assert client.get(YEAR_LIST).status_code == 403
    response = client.post(YEAR_ADD, {"year": "2027", **inline([])})
    assert response.status_code == 403
    assert not Year.objects.filter(year=2027).exists()
