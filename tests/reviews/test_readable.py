"""What an expert and an officer read: target labels, not codes; a zero spread is 0.00."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.sections import STANDARD_TARGETS
from reviews.models import PanelMember
from reviews.services import members as members_services
from reviews.views.opinion import render_opinion_pdf

from .factories import accept_all, form_panel, pool, sign_opinion
from .test_result import scored_panel

pytestmark = pytest.mark.django_db


def test_expert_reads_target_labels_not_codes(client, app, officer_user):
    pool()
    panel = form_panel(app, officer_user)
    member = accept_all(panel)[0]
    client.force_login(member.expert.user)
    html = client.get(reverse("reviews:member_plan", args=[member.pk])).content.decode()
    for key, label, _unit in STANDARD_TARGETS:
        assert key not in html
        assert str(label) in html
    assert "指标代码" not in html


def test_zero_spread_reads_0_00_on_the_page_and_in_the_pdf(client, app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, _members = scored_panel(app, officer_user, [80, 80, 80, 80, 80], ["pass"] * 5)
    client.force_login(officer_user)
    html = client.get(reverse("reviews:panel_result", args=[panel.pk])).content.decode()
    spread = html.split('stat-spread">')[1].split("<")[0]
    assert spread == "0.00"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_opinion_pdf(panel))).pages)
    assert "极差0.00" in "".join(text.split())


def test_a_second_conclusion_is_told_and_the_form_is_gone(client, app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, members = scored_panel(app, officer_user, [80, 82, 84, 86, 88], ["pass"] * 5)
    members_services.panel_set_chair(actor=officer_user, panel_id=panel.pk, member_id=members[0].pk)
    sign_opinion(panel, PanelMember.objects.get(pk=members[0].pk))
    client.force_login(officer_user)
    url = reverse("reviews:panel_conclude", args=[panel.pk])
    assert (
        "conclude-form"
        in client.get(reverse("reviews:panel_detail", args=[panel.pk])).content.decode()
    )
    client.post(url, {"outcome": "pass"})
    again = client.post(url, {"outcome": "fail"}, follow=True).content.decode()
    assert "该专家组已作出结论" in again and "conclude-form" not in again
    panel.refresh_from_db()
    assert panel.outcome == "pass"
