"""What a person reads on the office pages: state labels instead of codes, and a second
designation told as such (issue 8 item 7)."""

import datetime as dt
import re

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from centers.models import Center, Meeting
from tests.factories import officer as make_officer

from .factories import close_meeting, file_objection, plan_awaiting_meeting, publicized_plan

pytestmark = pytest.mark.django_db
RAW = re.compile(r"\b(awaiting_meeting|open|closed|received|publicity)\b")


def timeline(target, user):
    request = RequestFactory().get("/")
    request.user = user
    html = Template("{% load audit_tags %}{% audit_timeline target %}").render(
        Context({"target": target, "request": request})
    )
    return html[html.index("audit-timeline") :]


def test_meeting_timelines_show_labels_and_no_line_when_the_state_stays(officer):
    deferred = plan_awaiting_meeting(name="轨道交通")
    close_meeting(officer, {deferred: "defer"})
    plan_html = timeline(deferred, officer)
    assert "厅会议暂缓审议" in plan_html
    # the state did not change: no "待厅会议审议 → 待厅会议审议" line, no code
    assert "audit-transition" not in plan_html.split("厅会议暂缓审议")[1].split("</li>")[0]
    assert not RAW.search(plan_html)
    meeting_html = timeline(Meeting.objects.get(), officer)
    assert "进行中 → 已结束" in meeting_html
    assert "状态：进行中" in meeting_html  # the meeting was created open
    assert not RAW.search(meeting_html)


def test_objection_timeline_shows_the_received_label(officer):
    app, _notice = publicized_plan(actor=officer)
    objection = file_objection(app, now=dt.datetime(2026, 10, 9, 3, tzinfo=dt.UTC))
    html = timeline(objection, officer)
    assert "状态：已受理，待处理" in html
    assert "→ received" not in html and not RAW.search(html)


@time_machine.travel(dt.datetime(2026, 10, 20, 10, tzinfo=dt.UTC), tick=False)
def test_second_officer_pressing_designate_is_told_it_was_already_done(client, officer):
    app, notice = publicized_plan(actor=officer)
    item = notice.items.get()
    url = reverse("centers:designate", args=[item.pk])
    client.force_login(officer)
    first = client.post(url, follow=True).content.decode()
    center = Center.objects.get()
    assert f"已认定，中心编号 {center.number}" in first
    client.force_login(make_officer(username="officer_second"))
    second = client.post(url, follow=True).content.decode()
    assert "无需重复认定" in second and "2026年10月20日" in second
    assert f"已认定，中心编号 {center.number}。" not in second
    assert Center.objects.count() == 1


def test_the_audit_admin_shows_state_labels(officer):
    from django.contrib import admin
    from django.utils import translation

    from audit.admin import AuditEventAdmin
    from audit.models import AuditEvent

    close_meeting(officer, {plan_awaiting_meeting(): "approve"})
    event = AuditEvent.objects.get(action="centers.meeting_closed")
    with translation.override("zh-hans"):
        assert AuditEventAdmin(AuditEvent, admin.site).transition(event) == "进行中 → 已结束"
