"""A second id in the path that does not exist, is huge, or belongs to another panel is 404."""

import datetime as dt

import pytest
from django.urls import reverse

from reviews.models import PanelDraw, VisitNote
from reviews.services import visits
from tests.factories import OrganizationFactory

from .factories import accept_all, form_panel, plan_in_expert_review

pytestmark = pytest.mark.django_db

HUGE = 99999999999999999999


def visit(panel, officer_user):
    return visits.visit_record(
        actor=officer_user,
        panel_id=panel.pk,
        kind="inspection",
        date=dt.date(2026, 12, 1),
        place="太原市小店区",
        attendees="专家组全体成员",
        findings="场地与方案一致。",
    )


@pytest.fixture
def two_panels(app, experts, officer_user):
    other_app = plan_in_expert_review(
        org=OrganizationFactory(name="大同测试材料有限公司"), name="新材料"
    )
    first, second = form_panel(app, officer_user), form_panel(other_app, officer_user, seed=7)
    return first, second


def test_expert_note_on_a_foreign_or_missing_visit_is_404(client, two_panels, officer_user):
    first, second = two_panels
    member = accept_all(first)[0]
    accept_all(second)
    own, foreign = visit(first, officer_user), visit(second, officer_user)
    client.force_login(member.expert.user)
    for visit_pk in (foreign.pk, 999999, HUGE):
        url = reverse("reviews:member_visit_note", args=[member.pk, visit_pk])
        assert client.post(url, {"text": "意见"}).status_code == 404, visit_pk
    assert not VisitNote.objects.exists()
    url = reverse("reviews:member_visit_note", args=[member.pk, own.pk])
    assert client.post(url, {"text": "设备先进。"}).status_code == 302
    assert VisitNote.objects.get().text == "设备先进。"


def test_officer_replace_and_draw_with_a_foreign_or_missing_id_is_404(
    client, two_panels, officer_user
):
    first, second = two_panels
    foreign_member = second.members.first()
    foreign_draw = PanelDraw.objects.filter(panel=second).first()
    client.force_login(officer_user)
    for member_pk in (foreign_member.pk, 999999, HUGE):
        url = reverse("reviews:panel_replace", args=[first.pk, member_pk])
        assert client.post(url).status_code == 404, member_pk
    for draw_pk in (foreign_draw.pk, 999999, HUGE):
        assert (
            client.get(reverse("reviews:panel_draw", args=[first.pk, draw_pk])).status_code == 404
        )
    assert client.get(reverse("reviews:panel_detail", args=[HUGE])).status_code == 404
    assert second.members.filter(pk=foreign_member.pk, status=foreign_member.status).exists()


@pytest.mark.parametrize("margin", ["NaN", "Infinity", "-Infinity", "1e999", "-1", "abc"])
def test_panel_result_refuses_a_margin_that_is_not_a_usable_number(
    client, two_panels, officer_user, margin
):
    first, _second = two_panels
    client.force_login(officer_user)
    response = client.get(reverse("reviews:panel_result", args=[first.pk]), {"margin": margin})
    # the page again (400): the error summary, the rule in Chinese, what was typed kept
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page and 'href="#id_margin"' in page
    error = page.split('id="id_margin_error"')[1][:300]
    assert any(
        rule in error
        for rule in ("输入一个数字。", "确保该值小于或等于100。", "确保该值大于或等于0。")
    ), error
    kept = "1" + "0" * 999 if margin == "1e999" else margin  # Django writes 1e999 out
    assert f'name="margin" value="{kept}"' in page
    assert response.context["result"].margin == first.deviation_margin  # the panel's own


def test_removing_another_plans_attachment_is_404_and_removes_nothing(client):
    from applications.models import Attachment
    from applications.testing import make_complete_plan
    from tests.factories import applicant

    org = OrganizationFactory(name="太原测试甲有限公司")
    user = applicant(org)
    mine = make_complete_plan(org, user, name="甲")
    other_org = OrganizationFactory(name="太原测试乙有限公司")
    theirs = make_complete_plan(other_org, applicant(other_org), name="乙")
    foreign = Attachment.objects.filter(application=theirs).first()
    client.force_login(user)
    for attachment_id in (foreign.pk, 999999, HUGE):
        url = reverse("applications:attachment_remove", args=[mine.pk, attachment_id])
        assert client.post(url).status_code == 404, attachment_id
    assert not Attachment.objects.filter(removed_at__isnull=False).exists()
