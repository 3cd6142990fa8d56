"""Bulk actions: several re-checks at once, several plans on a meeting agenda — each item
through its service with its own audit event; a refused item is reported alone, in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from applications.models import Application, Status
from audit.models import AuditEvent
from centers.models import Meeting
from centers.services import meetings
from tests.applications.review_factories import plan_in_recheck
from tests.centers.factories import plan_awaiting_meeting
from tests.factories import officer, reviewer

pytestmark = pytest.mark.django_db


def _events(app, action):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Application),
        target_id=str(app.pk),
        action=action,
    ).count()


def test_several_rechecks_pass_each_with_its_event_and_a_stale_one_is_told(client):
    a, b, c = (plan_in_recheck(name=n) for n in ("碳基新材料", "氢能", "煤机装备"))
    user = officer()
    # another officer passed c first: c is no longer in re-check
    from applications.services import application_transition

    application_transition(actor=officer(), application_id=c.pk, transition="pass_recheck")
    client.force_login(user)
    page = client.get(reverse("applications:review_inbox"), {"state": "", "q": "新"})
    assert 'form="bulk-recheck"' in page.content.decode()
    response = client.post(
        reverse("applications:bulk_recheck"),
        {"ids": [a.pk, b.pk, c.pk, "x", "999999"], "opinion": "同意", "query": "state=&q=新"},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("?state=&q=%E6%96%B0")
    html = response.content.decode()
    assert "已通过复核 2 项：山西省碳基新材料技术创新中心、山西省氢能技术创新中心" in html
    assert "山西省煤机装备技术创新中心：未办理——" in html
    assert "有 1 项已不在您可以办理的范围内" in html
    for app in (a, b):
        app.refresh_from_db()
        assert app.status == Status.EXPERT_REVIEW
        assert _events(app, "application.pass_recheck") == 1
    assert _events(c, "application.pass_recheck") == 1  # the other officer's, not a second


def test_a_department_reviewer_cannot_bulk_recheck(client):
    app = plan_in_recheck()
    client.force_login(reviewer("太原市"))
    response = client.post(reverse("applications:bulk_recheck"), {"ids": [app.pk]})
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == Status.PROVINCE_RECHECK


def test_several_plans_on_the_agenda_one_event_each_and_a_taken_one_reported(client):
    user = officer()
    a = plan_awaiting_meeting(name="半导体")
    b = plan_awaiting_meeting(name="氢能")
    taken = plan_awaiting_meeting(name="煤机")
    other = meetings.meeting_create(actor=user, title="另一次会议", held_on=dt.date(2026, 9, 20))
    meetings.meeting_add_items(actor=user, meeting_id=other.pk, application_ids=[taken.pk])
    meeting = meetings.meeting_create(
        actor=user, title="2026年第12次厅务会议", held_on=dt.date(2026, 9, 25)
    )
    client.force_login(user)
    response = client.post(
        reverse("centers:meeting_add_items", args=[meeting.pk]),
        {"applications": [a.pk, b.pk, taken.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "已列入议程 2 项：" in html
    assert "山西省煤机技术创新中心：未办理——以下建设方案不在待厅会议审议状态" in html
    assert set(Meeting.objects.get(pk=meeting.pk).items.values_list("application", flat=True)) == {
        a.pk,
        b.pk,
    }
    for app in (a, b):
        assert _events(app, "centers.meeting_item_added") == 1
    assert _events(taken, "centers.meeting_item_added") == 1  # only the other meeting's
    again = client.post(
        reverse("centers:meeting_add_items", args=[meeting.pk]), {"applications": []}, follow=True
    )
    assert "请至少选择一个待审议的建设方案。" in again.content.decode()


def test_the_bulk_report_in_english(client, settings):
    a, c = (plan_in_recheck(name=n) for n in ("碳基新材料", "煤机装备"))
    from applications.services import application_transition

    application_transition(actor=officer(), application_id=c.pk, transition="pass_recheck")
    client.force_login(officer())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("applications:bulk_recheck"),
        {"ids": [a.pk, c.pk, "999999"], "opinion": "agreed"},
        follow=True,
    )
    html = response.content.decode()
    assert "Passed the re-check (1): 山西省碳基新材料技术创新中心" in html
    assert "山西省煤机装备技术创新中心: not done — " in html
    assert "1 item(s) are no longer yours to handle" in html
    assert "未办理" not in html and "已通过复核" not in html
    a.refresh_from_db()
    assert a.status == Status.EXPERT_REVIEW
    assert _events(a, "application.pass_recheck") == 1
