"""Every other form that edits stored data survives an unchanged submit, read as a browser reads it.

Each test opens the form, posts exactly what a browser would post (tests/forms/browser.py:
an input whose value its type rejects submits nothing) and asserts the stored data did not
change. Forms that create with pre-filled values (the panel's score deadline, the publicity
start date) must post the pre-filled date, not an empty one.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse

from accounts.models import City
from accounts.services.registration import organization_register, organization_verify
from applications.testing import MINIMAL_PDF
from reviews.models import Criterion, Panel
from reviews.services import members as review_members
from reviews.services import opinion as review_opinion
from reviews.services import scoring as review_scoring
from tests.factories import officer, reviewer, valid_credit_code
from tests.reviews.factories import (
    accept_all,
    expert,
    form_panel,
    plan_in_expert_review,
    pool,
    score_all,
    sign_opinion,
)

from .browser import form_data, form_with, submit

pytestmark = pytest.mark.django_db
LANGUAGES = ["zh-hans", "en"]
TZ_NOON = "2026-03-10 12:00 +08:00"


@pytest.fixture(params=LANGUAGES)
def language(request, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = request.param
    return request.param


def submit_unchanged(client, url, *, field=None, button=None):
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode(), field, button=button)
    return client.post(url, data)


def test_organization_edit(client, language):
    org, user = organization_register(
        organization={
            "name": "太原新材料研究院有限公司",
            "credit_code": valid_credit_code(),
            "org_type": "research_institute",
            "registered_province": "山西省",
            "registered_city": City.objects.get(name="太原市"),
            "address": "太原市小店区科技街1号",
            "is_legal_person": True,
            "contact_name": "王联系",
            "contact_phone": "0351-7654321",
        },
        user={
            "username": "lead",
            "last_name": "王",
            "first_name": "首位",
            "email": "lead@example.com",
            "password": "Str0ng-pass-2026",
        },
        licence=SimpleUploadedFile("营业执照.pdf", MINIMAL_PDF),
        licence_name="营业执照.pdf",
        licence_content_type="application/pdf",
        contact_email="contact@example.com",
    )
    organization_verify(actor=reviewer("太原市"), organization_id=org.pk, approve=True)
    org.refresh_from_db()
    before = (model_to_dict(org), model_to_dict(org.registration))
    client.force_login(user)
    response = submit_unchanged(
        client, reverse("organization_edit", args=[org.pk]), field="contact_email"
    )
    assert response.status_code == 302
    org.refresh_from_db()
    org.registration.refresh_from_db()
    assert (model_to_dict(org), model_to_dict(org.registration)) == before


def profile_state(profile):
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    return (
        model_to_dict(profile, exclude=["industry_fields"]),
        sorted(profile.industry_fields.values_list("pk", flat=True)),
        (profile.user.first_name, profile.user.last_name, profile.user.username),
    )


def test_expert_profile_edit(client, language):
    profile = expert(
        "technical",
        specialty="半导体材料",
        phone="13800000000",
        email="expert@example.com",
        avoid=[{"name": "山西某公司", "credit_code": ""}],
    )
    before = profile_state(profile)
    client.force_login(officer())
    response = submit_unchanged(
        client, reverse("reviews:expert_edit", args=[profile.pk]), field="full_name"
    )
    assert response.status_code == 302
    assert profile_state(profile) == before


@pytest.fixture
def accepted_member():
    app = plan_in_expert_review()
    pool()
    panel = form_panel(app, officer())
    member = panel.members.select_related("expert__user").first()
    review_members.member_respond(actor=member.expert.user, member_id=member.pk, accept=True)
    review_members.member_declare(actor=member.expert.user, member_id=member.pk, conflict=False)
    return member


def sheet_state(member):
    member.refresh_from_db()
    sheet = member.sheet
    scores = sorted((s.criterion_id, s.points) for s in sheet.scores.all())
    return sheet.opinion, sheet.recommendation, sheet.is_submitted, scores


def test_score_draft(client, language, accepted_member):
    member = accepted_member
    criteria = list(Criterion.objects.filter(template=member.panel.template))
    review_scoring.score_save(
        actor=member.expert.user,
        member_id=member.pk,
        scores={c.pk: (c.max_points * Decimal("0.75")).quantize(Decimal("0.1")) for c in criteria},
        opinion="方案基础较好。",
        recommendation="improve",
        submit=False,
    )
    before = sheet_state(member)
    assert any(points % 1 for _c, points in before[3])  # fractional points are in play
    client.force_login(member.expert.user)
    url = reverse("reviews:member_score", args=[member.pk])
    numbers = form_with(client.get(url).content.decode(), button="action").inputs_of_type("number")
    assert [a.get("value") for a in numbers] == [str(p) for _c, p in before[3]]
    response = submit_unchanged(client, url, field="opinion", button="action")
    assert response.status_code == 302
    assert sheet_state(member) == before


@time_machine.travel(TZ_NOON, tick=False)
def test_panel_form_posts_its_prefilled_deadline(client, language):
    app = plan_in_expert_review()
    pool()
    client.force_login(officer())
    url = reverse("reviews:panel_new", args=[app.pk])
    page = client.get(url)
    dates = form_with(page.content.decode(), "score_deadline").inputs_of_type("date")
    assert [a.get("value") for a in dates] == ["2026-03-24"]
    response = submit_unchanged(client, url, field="score_deadline")
    assert response.status_code == 302
    panel = Panel.objects.get(application=app)
    assert panel.score_deadline == dt.date(2026, 3, 24)
    assert panel.deviation_margin == 15


def test_inbox_filter_shows_the_dates_it_filters_by(client, language):
    client.force_login(reviewer("太原市"))
    page = client.get(
        reverse("applications:review_inbox"),
        {"submitted_from": "2026-03-05", "submitted_to": "2026-04-30"},
    )
    assert page.status_code == 200
    form = form_with(page.content.decode(), "submitted_from")
    values = {a["name"]: a.get("value") for a in form.inputs_of_type("date")}
    assert values == {"submitted_from": "2026-03-05", "submitted_to": "2026-04-30"}


@pytest.fixture
def concluded_panel():
    """A panel whose opinion was signed and concluded with "pass": the applicant improves."""
    app = plan_in_expert_review()
    pool()
    actor = officer()
    panel = form_panel(app, actor)
    members = accept_all(panel)
    chair = members[0]
    review_members.panel_set_chair(actor=actor, panel_id=panel.pk, member_id=chair.pk)
    score_all(panel)
    sign_opinion(panel, chair)
    review_opinion.panel_conclude(actor=actor, panel_id=panel.pk, outcome="pass")
    app.refresh_from_db()
    return app, panel, chair


def test_opinion_draft(client, language):
    app = plan_in_expert_review()
    pool()
    actor = officer()
    panel = form_panel(app, actor)
    chair = accept_all(panel)[0]
    review_members.panel_set_chair(actor=actor, panel_id=panel.pk, member_id=chair.pk)
    review_opinion.opinion_save(
        actor=chair.expert.user,
        member_id=chair.pk,
        summary="方案基础扎实。\n建议修改完善后通过。",
        points=["明确研发投入来源。", "补充共建单位分工。"],
        sign=False,
    )

    def state():
        panel.refresh_from_db()
        return panel.opinion_summary, list(panel.points.values_list("number", "text"))

    before = state()
    client.force_login(chair.expert.user)
    url = reverse("reviews:member_opinion", args=[chair.pk])
    response = submit(client, url, "summary", button="action")
    assert response.status_code == 302
    assert state() == before


def test_improvement_answers(client, language, concluded_panel):
    app, panel, _chair = concluded_panel
    points = list(panel.points.order_by("number"))
    review_opinion.improvement_save(
        actor=app.created_by,
        application_id=app.pk,
        answers={p.pk: f"已按第{p.number}点修改。\n详见方案。" for p in points},
        submit=False,
    )
    before = list(panel.points.order_by("number").values_list("pk", "answer"))
    assert all(answer for _pk, answer in before)
    client.force_login(app.created_by)
    response = submit(client, reverse("reviews:improve", args=[app.pk]), button="action")
    assert response.status_code == 302
    assert list(panel.points.order_by("number").values_list("pk", "answer")) == before


def test_meeting_decision(client, language):
    from centers.services import meetings as center_meetings
    from tests.centers.factories import plan_awaiting_meeting

    actor = officer()
    app = plan_awaiting_meeting()
    meeting = center_meetings.meeting_create(
        actor=actor, title="2026年第12次厅务会议", held_on=dt.date(2026, 9, 25)
    )
    (item,) = center_meetings.meeting_add_items(
        actor=actor, meeting_id=meeting.pk, application_ids=[app.pk]
    )
    center_meetings.meeting_stage_decision(
        actor=actor, item_id=item.pk, decision="reject", reason="不符合条件。"
    )
    client.force_login(actor)
    url = reverse("centers:meeting_detail", args=[meeting.pk])
    response = submit(client, url, f"item{item.pk}-decision")
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.decision, item.reason) == ("reject", "不符合条件。")


@time_machine.travel(TZ_NOON, tick=False)
def test_publicity_form_posts_its_prefilled_start_date(client, language):
    from tests.centers.factories import approved_plan

    actor = officer()
    approved_plan(actor=actor)
    client.force_login(actor)
    page = client.get(reverse("centers:notice_publish"))
    assert page.status_code == 200
    data = form_data(page.content.decode(), "start_date")
    assert data["start_date"] == ["2026-03-10"]


def test_panel_result_margin_is_a_number_the_input_accepts(client, language):
    app = plan_in_expert_review()
    pool()
    actor = officer()
    panel = form_panel(app, actor)
    client.force_login(actor)
    url = reverse("reviews:panel_result", args=[panel.pk])
    data = form_data(client.get(url).content.decode(), "margin")
    assert data["margin"][0]  # a value the number input rejects would submit ""
    assert Decimal(data["margin"][0]) == panel.deviation_margin
