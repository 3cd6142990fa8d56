"""What an expert and an officer read: target labels, not codes; a zero spread is 0.00."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from applications.sections import STANDARD_TARGETS
from reviews.views import render_opinion_pdf

from .factories import accept_all, form_panel, pool
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
        assert label in html
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
