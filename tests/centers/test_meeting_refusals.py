"""A refused add-to-agenda or minutes upload is the meeting page again (issue 16): status 400,
the error summary, the field's error in Chinese, the officer's choices kept, nothing stored."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from centers.models import Meeting
from centers.services import meetings
from tests.factories import officer

from .factories import plan_awaiting_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return meetings.meeting_create(
        actor=officer(), title="2026年第12次厅务会议", held_on=dt.date(2026, 9, 25)
    )


def _events():
    return AuditEvent.objects.filter(action__startswith="centers.meeting").count()


def test_add_items_without_a_plan_is_the_page_again_with_the_summary(client, meeting):
    app = plan_awaiting_meeting(name="半导体")
    client.force_login(meeting.created_by)
    events = _events()
    response = client.post(reverse("centers:meeting_add_items", args=[meeting.pk]), {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and "请至少选择一个待审议的建设方案。" in html
    assert 'href="#id_applications' in html  # the summary links to the checkboxes
    assert app.full_name in html  # the choices are still offered
    assert not Meeting.objects.get(pk=meeting.pk).items.exists() and _events() == events


def test_add_items_with_an_unreadable_value_keeps_it_and_adds_nothing(client, meeting):
    plan_awaiting_meeting(name="半导体")
    client.force_login(officer())
    events = _events()
    response = client.post(
        reverse("centers:meeting_add_items", args=[meeting.pk]), {"applications": ["abc"]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and "abc" in html  # Django's message names the value
    assert not meeting.items.exists() and _events() == events


def test_minutes_that_are_not_a_scan_are_the_page_again(client, meeting):
    app = plan_awaiting_meeting(name="半导体")
    user = officer()
    meetings.meeting_add_items(actor=user, meeting_id=meeting.pk, application_ids=[app.pk])
    item = meeting.items.get()
    meetings.meeting_stage_decision(actor=user, item_id=item.pk, decision="defer", reason="再议")
    client.force_login(user)
    events = _events()
    response = client.post(
        reverse("centers:meeting_minutes", args=[meeting.pk]),
        {"minutes": SimpleUploadedFile("纪要.pdf", b"not a pdf", content_type="application/pdf")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and 'href="#id_minutes"' in html
    error = re.search(r'id="id_minutes_error">(.*?)</div>\s*</div>', html, re.S).group(1)
    assert "会议纪要" in error
    # the staged decision and its reason are still shown as they were
    assert "再议" in html
    meeting.refresh_from_db()
    assert not meeting.minutes and _events() == events


def test_minutes_without_a_file_says_so(client, meeting):
    client.force_login(officer())
    response = client.post(reverse("centers:meeting_minutes", args=[meeting.pk]), {})
    assert response.status_code == 400
    assert "请上传会议纪要。" in response.content.decode()
    meeting.refresh_from_db()
    assert not meeting.minutes
