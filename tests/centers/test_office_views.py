"""Officer pages (meetings, publicity, objections) and who may not open them."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from centers.models import Center, Meeting, Objection, ObjectionStatus
from tests.factories import UserFactory, applicant, reviewer

from .factories import file_objection, pdf_upload, plan_awaiting_meeting, publicized_plan

pytestmark = pytest.mark.django_db


def expert():
    return UserFactory(roles=["expert"])


@pytest.fixture
def objection(officer):
    app, _notice = publicized_plan(actor=officer)
    return file_objection(app, now=dt.datetime(2026, 10, 9, 3, tzinfo=dt.UTC))


def office_urls(objection):
    meeting = Meeting.objects.first()
    evidence = objection.evidence.first()
    notice_id = objection.item.notice_id
    return [
        reverse("centers:meeting_list"),
        reverse("centers:meeting_detail", args=[meeting.pk]),
        reverse("centers:meeting_minutes_download", args=[meeting.pk]),
        reverse("centers:notice_list"),
        reverse("centers:notice_publish"),
        reverse("centers:notice_manage", args=[notice_id]),
        reverse("centers:objection_list"),
        reverse("centers:objection_detail", args=[objection.pk]),
        reverse("centers:objection_statement", args=[objection.pk]),
        reverse("centers:objection_evidence", args=[objection.pk, evidence.pk]),
    ]


def test_refused_side_cannot_open_office_pages_or_objection_files(client, objection):
    urls = office_urls(objection)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for user in (applicant(objection.item.application.organization), reviewer(), expert()):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (403, 404), (user, url)
            assert b"13800001234" not in response.content
    # nor post decisions
    client.force_login(reviewer())
    response = client.post(
        reverse("centers:objection_resolve", args=[objection.pk]),
        {"decision": "uphold", "reason": "x"},
    )
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.status == "received"


def test_officer_sees_identity_and_downloads_files(client, officer, objection):
    client.force_login(officer)
    page = client.get(reverse("centers:objection_detail", args=[objection.pk])).content.decode()
    assert "刘实名" in page and "13800001234" in page and "太原某大学" in page
    statement = client.get(reverse("centers:objection_statement", args=[objection.pk]))
    assert statement.status_code == 200
    assert statement["Content-Type"] == "application/pdf"
    assert b"".join(statement.streaming_content).startswith(b"%PDF")
    evidence = objection.evidence.first()
    image = client.get(reverse("centers:objection_evidence", args=[objection.pk, evidence.pk]))
    assert image["Content-Type"] == "image/png"


def test_officer_handles_objection_through_the_pages(client, officer, objection):
    client.force_login(officer)
    url = reverse("centers:objection_note", args=[objection.pk])
    client.post(url, {"text": "已函询牵头单位。"})
    bad = client.post(
        reverse("centers:objection_resolve", args=[objection.pk]), {"decision": "dismiss"}
    )
    assert "请填写处理意见" in bad.content.decode()
    client.post(
        reverse("centers:objection_resolve", args=[objection.pk]),
        {"decision": "dismiss", "reason": "经核实，异议不成立。"},
    )
    objection.refresh_from_db()
    assert objection.status == "dismissed" and objection.notes.count() == 1
    # the period (2026-09-30..10-12) is over: the button designates
    response = client.post(reverse("centers:designate", args=[objection.item_id]), follow=True)
    center = Center.objects.get()
    assert center.number in response.content.decode()


def test_meeting_pages_stage_and_close(client, officer):
    app = plan_awaiting_meeting(name="半导体")
    client.force_login(officer)
    response = client.post(
        reverse("centers:meeting_list"), {"title": "2026年第12次厅务会议", "held_on": "2026-09-25"}
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("centers:meeting_detail", args=[meeting.pk])
    page = client.get(response["Location"]).content.decode()
    assert app.full_name in page
    client.post(reverse("centers:meeting_add_items", args=[meeting.pk]), {"applications": [app.pk]})
    item = meeting.items.get()
    bad = client.post(
        reverse("centers:meeting_decide", args=[item.pk]),
        {f"item{item.pk}-decision": "reject", f"item{item.pk}-reason": ""},
    )
    # the page again (400): the error summary, the item's form with "reject" still chosen
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "不予通过的决定必须填写理由" in html and "error-summary" in html
    radios = re.findall(rf'<input[^>]*name="item{item.pk}-decision"[^>]*>', html)
    assert [r for r in radios if "checked" in r and 'value="reject"' in r]
    client.post(
        reverse("centers:meeting_decide", args=[item.pk]), {f"item{item.pk}-decision": "approve"}
    )
    closing = client.post(reverse("centers:meeting_close", args=[meeting.pk]), follow=True)
    assert "请先上传会议纪要" in closing.content.decode()
    client.post(reverse("centers:meeting_minutes", args=[meeting.pk]), {"minutes": pdf_upload()})
    client.post(reverse("centers:meeting_close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == "closed"
    # publish through the page
    response = client.post(
        reverse("centers:notice_publish"), {"applications": [app.pk], "start_date": "2026-09-30"}
    )
    app.refresh_from_db()
    assert app.status == "publicity", response.content.decode()[:2000]


def test_publish_page_names_the_unknown_year(client, officer):
    from .factories import approved_plan

    app = approved_plan(actor=officer)
    client.force_login(officer)
    response = client.post(
        reverse("centers:notice_publish"), {"applications": [app.pk], "start_date": "2026-12-28"}
    )
    text = response.content.decode()
    assert "2027年" in text
    assert 'value="2026-12-28"' in text  # kept what was typed


@pytest.mark.query_count
def test_objection_list_query_count_is_flat(client, officer, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app, _ = publicized_plan(actor=officer)
    file_objection(app, now=dt.datetime(2026, 10, 9, 3, tzinfo=dt.UTC))
    client.force_login(officer)
    url = reverse("centers:objection_list") + "?status="
    client.get(url)  # the content types guardian asks for are cached in the process from now on
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        other, _ = publicized_plan(actor=officer, name=f"领域{n}")
        file_objection(
            other, now=dt.datetime(2026, 10, 9, 3, tzinfo=dt.UTC), phone=f"1390000{n:04d}"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert Objection.objects.count() == 5
    assert len(many) == len(one)


@pytest.mark.query_count
@pytest.mark.parametrize("name", ["centers:meeting_list", "centers:notice_list"])
def test_office_list_query_count_is_flat(client, officer, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publicized_plan(actor=officer, name="领域x")
    client.force_login(officer)
    url = reverse(name)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        publicized_plan(actor=officer, name=f"领域{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_notice_list_counts_each_notices_plans_and_open_objections(client, officer):
    """Counted per row (subqueries): two plans in one notice with two objections on one of
    them, one of which is closed, and a second notice with none."""
    from centers.services import publicity

    from .factories import approved_plan

    first, second = (
        approved_plan(actor=officer, name="领域甲"),
        approved_plan(actor=officer, name="领域乙"),
    )
    notice = publicity.publicity_publish(
        actor=officer, application_ids=[first.pk, second.pk], start=dt.date(2026, 9, 30)
    )
    _other, quiet = publicized_plan(actor=officer, name="领域丙", start=dt.date(2026, 8, 3))
    when = dt.datetime(2026, 10, 9, 3, tzinfo=dt.UTC)
    file_objection(first, now=when)
    closed = file_objection(first, now=when, phone="13900009999")
    Objection.objects.filter(pk=closed.pk).update(status=ObjectionStatus.DISMISSED)
    client.force_login(officer)
    html = client.get(reverse("centers:notice_list")).content.decode()
    rows = {
        title: cells
        for title, *cells in re.findall(
            r"<tr><td><a [^>]*>([^<]*)</a></td><td>[^<]*</td><td>(\d+)</td><td>(\d+)</td></tr>",
            html,
        )
    }
    assert rows[notice.title] == ["2", "1"]
    assert rows[quiet.title] == ["1", "0"]
