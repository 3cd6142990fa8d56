"""Annual-report deadline reminders: before the deadline to the center's staff, overdue to
the staff and the organizing department, each once per (center, year, kind).

The clock is frozen with time_machine at the exact boundaries (Asia/Shanghai days): the
report on 2026 is due on 31 March 2027; 30 days before is 1 March 2027."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from centers.models import AnnualReport, Center, ReportDeadlineReminder
from centers.services.report_reminders import send_report_deadline_reminders
from centers.tasks import remind_waiting
from notifications.models import Message

from .change_factories import dept_user, make_center

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
UPCOMING = "年度报告提交提醒"
OVERDUE = "年度报告逾期通知"


def at(year, month, day, hour=0, minute=5):
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def run(moment):
    with time_machine.travel(moment, tick=False):
        return send_report_deadline_reminders()


def messages(user, kind):
    return Message.objects.filter(recipient=user, subject__startswith=kind)


@pytest.fixture
def center(db, settings):
    settings.CENTERS_ANNUAL_REPORT_DEADLINE = (3, 31)
    settings.CENTERS_REPORT_REMIND_DAYS_BEFORE = 30
    return make_center(designated_on=dt.date(2026, 3, 5))


def _report(center, year=2026, status=AnnualReport.Status.DRAFT):
    return AnnualReport.objects.create(
        center=center, year=year, status=status, created_by=center._test_staff
    )


def test_31_days_before_nothing_30_days_before_one_reminder_and_only_once(center):
    staff = center._test_staff
    reviewer = dept_user(center)
    # 28 February 2027 23:55 in Shanghai: 31 days before 31 March
    assert run(at(2027, 2, 28, 23, 55)) == {"upcoming": 0, "overdue": 0}
    assert not Message.objects.exists()
    # 1 March 2027 00:05: 30 days before
    assert run(at(2027, 3, 1)) == {"upcoming": 1, "overdue": 0}
    assert run(at(2027, 3, 1, 18)) == {"upcoming": 0, "overdue": 0}  # run twice: still one
    assert run(at(2027, 3, 31, 23, 55)) == {"upcoming": 0, "overdue": 0}  # deadline day
    message = messages(staff, UPCOMING).get()
    assert center.name in message.subject and "2026年度报告" in message.subject
    assert "2027年3月31日" in message.body and "尚未开始填报" in message.body
    assert "距截止还有30天" in message.body
    assert message.link == reverse("centers:center_detail", args=[center.pk])
    assert not Message.objects.filter(recipient=reviewer).exists()  # staff only before
    row = ReportDeadlineReminder.objects.get()
    assert (row.center, row.year, row.kind, row.deadline) == (
        center,
        2026,
        "upcoming",
        dt.date(2027, 3, 31),
    )


def test_a_draft_links_to_its_report_and_a_returned_report_is_still_owed(center):
    draft = _report(center)
    assert run(at(2027, 3, 10)) == {"upcoming": 1, "overdue": 0}
    message = messages(center._test_staff, UPCOMING).get()
    assert message.link == reverse("centers:report_detail", args=[draft.pk])
    assert "当前状态：草稿" in message.body

    other = make_center(name="氢能装备")
    _report(other, status=AnnualReport.Status.RETURNED)
    assert run(at(2027, 4, 1)) == {"upcoming": 0, "overdue": 2}
    assert "当前状态：已退回修改" in messages(other._test_staff, OVERDUE).get().body


@pytest.mark.parametrize("status", [AnnualReport.Status.SUBMITTED, AnnualReport.Status.ACCEPTED])
def test_a_submitted_report_gets_nothing(center, status):
    _report(center, status=status)
    assert run(at(2027, 3, 1)) == {"upcoming": 0, "overdue": 0}
    assert run(at(2027, 4, 1)) == {"upcoming": 0, "overdue": 0}
    assert not Message.objects.exists() and not ReportDeadlineReminder.objects.exists()


def test_the_day_after_the_deadline_overdue_to_staff_and_department_once(center):
    staff = center._test_staff
    reviewer = dept_user(center)
    # the deadline day itself is not overdue yet
    assert run(at(2027, 3, 31, 23, 55)) == {"upcoming": 1, "overdue": 0}
    assert run(at(2027, 4, 1)) == {"upcoming": 0, "overdue": 1}
    assert run(at(2027, 4, 2)) == {"upcoming": 0, "overdue": 0}
    for user in (staff, reviewer):
        message = messages(user, OVERDUE).get()
        assert center.name in message.subject
        assert "2026年度报告应于2027年3月31日前提交，已逾期未提交" in message.body
    assert messages(staff, UPCOMING).count() == 1
    assert not messages(reviewer, UPCOMING).exists()
    assert ReportDeadlineReminder.objects.filter(kind="overdue").count() == 1


def test_a_revoked_center_gets_nothing(center):
    Center.objects.filter(pk=center.pk).update(status=Center.Status.REVOKED)
    assert run(at(2027, 3, 1)) == {"upcoming": 0, "overdue": 0}
    assert run(at(2027, 4, 1)) == {"upcoming": 0, "overdue": 0}
    assert not Message.objects.exists()


def test_a_center_designated_this_year_owes_this_year_next_spring(db, settings):
    settings.CENTERS_REPORT_REMIND_DAYS_BEFORE = 30
    center = make_center(designated_on=dt.date(2027, 11, 20))
    assert run(at(2027, 12, 1)) == {"upcoming": 0, "overdue": 0}  # nothing for 2026
    assert run(at(2028, 2, 29, 23, 55)) == {"upcoming": 0, "overdue": 0}  # 31 days (leap year)
    assert run(at(2028, 3, 1)) == {"upcoming": 1, "overdue": 0}
    message = messages(center._test_staff, UPCOMING).get()
    assert "2027年度报告" in message.subject and "2028年3月31日" in message.body
    assert run(at(2028, 4, 1)) == {"upcoming": 0, "overdue": 1}
    assert set(ReportDeadlineReminder.objects.values_list("year", flat=True)) == {2027}


def test_an_older_overdue_report_does_not_hide_the_next_reminder(center):
    # nothing filed for 2026 nor 2027: in March 2028 the 2026 report is overdue and the 2027
    # report's deadline is near; both are sent
    assert run(at(2028, 3, 1)) == {"upcoming": 1, "overdue": 1}
    assert messages(center._test_staff, OVERDUE).get().subject.endswith("2026年度报告")
    assert messages(center._test_staff, UPCOMING).get().subject.endswith("2027年度报告")


def test_the_setting_moves_the_window(center, settings):
    settings.CENTERS_REPORT_REMIND_DAYS_BEFORE = 7
    assert run(at(2027, 3, 23, 23, 55)) == {"upcoming": 0, "overdue": 0}
    assert run(at(2027, 3, 24)) == {"upcoming": 1, "overdue": 0}


def test_the_beat_task_sends_the_deadline_reminders(center):
    result = remind_waiting.apply(args=[at(2027, 3, 1).isoformat()]).get()
    assert result["report_deadlines"] == {"upcoming": 1, "overdue": 0}
    assert messages(center._test_staff, UPCOMING).count() == 1


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_overdue_notice_once(celery_worker_process):
    center = make_center(name="工人截止", designated_on=dt.date(2026, 3, 5))
    reviewer = dept_user(center, username="deadline_worker_reviewer")
    moment = at(2027, 4, 1, 9).isoformat()
    first = remind_waiting.delay(moment).get(timeout=60)
    second = remind_waiting.delay(moment).get(timeout=60)
    assert first["report_deadlines"] == {"upcoming": 0, "overdue": 1}
    assert second["report_deadlines"] == {"upcoming": 0, "overdue": 0}
    for user in (center._test_staff, reviewer):
        assert messages(user, OVERDUE).count() == 1
    assert ReportDeadlineReminder.objects.filter(center=center).count() == 1
