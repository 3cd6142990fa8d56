"""The office lists' summaries (plans waiting for an agenda; plans approved for publicity and
those due for designation) are cached like the task badge (``accounts.inbox.per_user``):
every change of them writes an audit event, which the next page shows at once."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from applications.models import Application
from centers.services import meetings, publicity
from tests.factories import officer as make_officer

from .factories import approved_plan, file_objection, plan_awaiting_meeting, publicized_plan

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def waiting(client) -> int:
    html = client.get(reverse("centers:meeting_list")).content.decode()
    return int(re.search(r"(\d+) 个建设方案待厅会议审议", html)[1])


def test_the_agenda_count_follows_each_item_added_or_removed(client, cached):
    officer = make_officer()
    first, _second, third = (plan_awaiting_meeting(name=n) for n in ("甲材料", "乙材料", "丙材料"))
    client.force_login(officer)
    assert waiting(client) == 3
    # a change without an audit event (never made by the services): the count is served cached
    Application.objects.filter(pk=third.pk).update(status="draft")
    assert waiting(client) == 3
    meeting = meetings.meeting_create(
        actor=officer, title="2026年第12次厅务会议", held_on=dt.date(2026, 9, 25)
    )
    (item,) = meetings.meeting_add_items(
        actor=officer, meeting_id=meeting.pk, application_ids=[first.pk]
    )
    assert waiting(client) == 1
    meetings.meeting_remove_item(actor=officer, item_id=item.pk)
    assert waiting(client) == 2


def summary(client) -> tuple[str, str]:
    html = client.get(reverse("centers:notice_list")).content.decode()
    approved = re.search(r'<span class="ms-2 text-body-secondary">([^<]*)</span>', html)[1]
    due = re.search(r'<div class="alert alert-info">(.*?)</div>', html, re.S)
    return approved.strip(), due[1] if due else ""


def test_the_publicity_summary_follows_publishing_objections_and_the_day(
    client, cached, frozen_clock, settings
):
    officer = make_officer()
    frozen_clock.move_to(dt.datetime(2026, 10, 9, 3, tzinfo=dt.UTC))
    waiting_plan = approved_plan(actor=officer, name="甲材料")
    app, notice = publicized_plan(actor=officer, name="乙材料", start=dt.date(2026, 9, 30))
    client.force_login(officer)
    approved, due = summary(client)
    assert "1" in approved and app.full_name not in due  # its period is not over yet
    publicity.publicity_publish(
        actor=officer, application_ids=[waiting_plan.pk], start=dt.date(2026, 10, 12)
    )
    approved, _due = summary(client)
    assert "0" in approved
    # the last minutes of the period, then the first of the next day: due, with no change in
    # between (the day is part of the key; the entry itself would live an hour)
    settings.INBOX_COUNT_SECONDS = 3600
    last_day = dt.datetime.combine(notice.end_date, dt.time(23, 58), tzinfo=SHANGHAI)
    frozen_clock.move_to(last_day)
    client.force_login(officer)  # the staff session ended meanwhile
    assert app.full_name not in summary(client)[1]
    frozen_clock.move_to(last_day + dt.timedelta(minutes=4))
    assert app.full_name in summary(client)[1]
    file_objection(app, now=dt.datetime(2026, 10, 9, 3, tzinfo=dt.UTC))
    assert app.full_name not in summary(client)[1]
