"""Reminders of change requests and annual reports waiting too long (working days)."""

import datetime as dt
import zoneinfo

import pytest

from centers.models_changes import CenterChangeRequest, ChangeReminder
from centers.services import change_reminders, changes
from centers.tasks import remind_waiting
from notifications.models import Message

from .change_factories import dept_user, filed, make_center

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# 2031 is a plain Monday–Friday test year (calendar_years); 3 March 2031 is a Monday.
ARRIVED = dt.datetime(2031, 3, 3, 10, 0, tzinfo=SHANGHAI)


def _waiting(center, since=ARRIVED, status="dept_review"):
    request = filed(center)
    CenterChangeRequest.objects.filter(pk=request.pk).update(waiting_since=since, status=status)
    return request


@pytest.fixture
def year_2031(calendar_years):
    calendar_years(2031)


def test_reminds_after_more_than_the_working_days_and_only_once(db, year_2031, settings):
    settings.CENTER_REMINDER_WORKING_DAYS = 5
    center = make_center()
    reviewer = dept_user(center)
    _waiting(center)
    # Monday 10 March: 5 working days after the day it arrived (4–7, 10) — not yet more than 5
    assert (
        change_reminders.send_change_reminders(now=dt.datetime(2031, 3, 10, 9, tzinfo=SHANGHAI))
        == 0
    )
    # Tuesday 11 March: 6 working days
    at = dt.datetime(2031, 3, 11, 9, tzinfo=SHANGHAI)
    assert change_reminders.send_change_reminders(now=at) == 1
    assert change_reminders.send_change_reminders(now=at) == 0  # running twice sends nothing twice
    messages = Message.objects.filter(recipient=reviewer, subject__contains="变更申请待办提醒")
    assert messages.count() == 1 and "6个工作日" in messages.get().body
    assert ChangeReminder.objects.count() == 1


def test_weekends_do_not_count_and_the_province_is_reminded_of_its_queue(
    db, year_2031, officer, settings
):
    settings.CENTER_REMINDER_WORKING_DAYS = 2
    center = make_center()
    # arrived on Thursday 6 March; Friday 7 and Monday 10 are 2 working days; Tuesday is the 3rd
    _waiting(center, since=dt.datetime(2031, 3, 6, 16, tzinfo=SHANGHAI), status="province_review")
    assert (
        change_reminders.send_change_reminders(now=dt.datetime(2031, 3, 10, 18, tzinfo=SHANGHAI))
        == 0
    )
    assert (
        change_reminders.send_change_reminders(now=dt.datetime(2031, 3, 11, 8, tzinfo=SHANGHAI))
        == 1
    )
    assert Message.objects.filter(recipient=officer, subject__contains="变更申请待办提醒").exists()


def test_a_new_wait_reminds_again(db, year_2031, settings):
    settings.CENTER_REMINDER_WORKING_DAYS = 1
    center = make_center()
    request = _waiting(center)
    at = dt.datetime(2031, 3, 6, 9, tzinfo=SHANGHAI)
    assert change_reminders.send_change_reminders(now=at) == 1
    changes.change_request_decide(
        actor=dept_user(center, username="r2"),
        request_id=request.pk,
        decision="approve",
        now=at,
    )
    later = dt.datetime(2031, 3, 10, 9, tzinfo=SHANGHAI)
    assert change_reminders.send_change_reminders(now=later) == 1  # now at the province's desk
    assert set(ChangeReminder.objects.values_list("status", flat=True)) == {
        "dept_review",
        "province_review",
    }


def test_an_unknown_calendar_year_is_skipped_not_guessed(db, settings):
    settings.CENTER_REMINDER_WORKING_DAYS = 1
    center = make_center()
    _waiting(center, since=dt.datetime(2093, 3, 3, 10, tzinfo=SHANGHAI))
    assert change_reminders.send_change_reminders(now=dt.datetime(2093, 4, 1, tzinfo=SHANGHAI)) == 0
    assert not ChangeReminder.objects.exists()


def test_submitted_annual_reports_waiting_remind_the_department(db, year_2031, settings):
    from centers.models_reports import AnnualReport

    settings.CENTER_REMINDER_WORKING_DAYS = 5
    center = make_center()
    reviewer = dept_user(center)
    report = AnnualReport.objects.create(center=center, year=2030, created_by=center._test_staff)
    AnnualReport.objects.filter(pk=report.pk).update(status="submitted", submitted_at=ARRIVED)
    at = dt.datetime(2031, 3, 11, 9, tzinfo=SHANGHAI)
    assert change_reminders.send_report_reminders(now=at) == 1
    assert change_reminders.send_report_reminders(now=at) == 0
    assert (
        Message.objects.filter(recipient=reviewer, subject__contains="年度报告待审核").count() == 1
    )


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_worker_reminds_once(celery_worker_process):
    from tests.conftest import enter_test_calendar

    enter_test_calendar(2031)
    center = make_center(name="工人测试")
    reviewer = dept_user(center, username="worker_reviewer")
    _waiting(center)
    at = dt.datetime(2031, 3, 20, 9, tzinfo=SHANGHAI).isoformat()
    first = remind_waiting.delay(at).get(timeout=60)
    second = remind_waiting.delay(at).get(timeout=60)
    assert first["changes"] == 1 and second["changes"] == 0
    assert (
        Message.objects.filter(recipient=reviewer, subject__contains="变更申请待办提醒").count()
        == 1
    )
