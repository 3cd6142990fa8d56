"""Panel result statistics against a hand computation; the PDF of the panel opinion."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from reviews import selectors
from reviews.models import Criterion, PanelMember
from reviews.services import members as members_services
from reviews.services import scoring
from reviews.views.opinion import render_opinion_pdf

from .factories import accept_all, form_panel, pool, sign_opinion

pytestmark = pytest.mark.django_db


def fill(criteria, total):
    """Points per criterion adding up to ``total`` (each within its maximum)."""
    left, out = Decimal(total), {}
    for c in criteria:
        out[c.pk] = min(c.max_points, left)
        left -= out[c.pk]
    assert left == 0
    return out


def scored_panel(app, officer_user, totals, recommendations):
    panel = form_panel(app, officer_user, size=len(totals), counts=(len(totals) - 2, 1, 1))
    members = accept_all(panel)
    criteria = list(Criterion.objects.filter(template=panel.template))
    for member, total, rec in zip(members, totals, recommendations, strict=True):
        scoring.score_save(
            actor=member.expert.user,
            member_id=member.pk,
            scores=fill(criteria, total),
            opinion=f"总分{total}",
            recommendation=rec,
            submit=True,
        )
        member.total = total
    return panel, members


def test_mean_trimmed_mean_spread_and_warnings_match_hand_computation(app, officer_user):
    pool(technical=5, management=1, financial=1)
    totals = [90, 85, 80, 70, 40]
    panel, members = scored_panel(
        app, officer_user, totals, ["pass", "pass", "improve", "improve", "fail"]
    )
    result = selectors.panel_result(panel)
    # mean = 365 / 5 = 73; trimmed: drop 90 and 40 -> (85 + 80 + 70) / 3 = 78.33
    assert result.mean == Decimal("73.00")
    assert result.trimmed_mean == Decimal("78.33") and result.trimmed
    assert result.spread == Decimal("50.00")
    assert [(str(label), n) for label, n in result.recommendations] == [
        ("通过", 2),
        ("修改完善后通过", 2),
        ("不通过", 1),
    ]
    # margin 15: 90 (+17) and 40 (−33) are flagged, the others are not
    flagged = sorted(r.total for r in result.rows if r.warn)
    assert flagged == [Decimal(40), Decimal(90)]
    assert len(result.warnings) == 2
    # a wider margin flags only the outlier
    assert [r.total for r in selectors.panel_result(panel, margin=Decimal(20)).rows if r.warn] == [
        Decimal(40)
    ]
    # per-criterion means: first criterion (max 20) got 20 from all five
    assert result.criterion_means[0] == Decimal("20.00")


def test_fewer_than_five_experts_are_not_trimmed(app, officer_user, settings):
    settings.REVIEWS_MIN_PANEL_SIZE = 3
    pool(technical=1, management=1, financial=1)
    panel, _members = scored_panel(app, officer_user, [60, 70, 95], ["improve"] * 3)
    result = selectors.panel_result(panel)
    assert result.mean == Decimal("75.00")
    assert result.trimmed_mean == Decimal("75.00") and not result.trimmed


def test_result_query_count_does_not_grow_with_experts_and_criteria(app, officer_user, settings):
    settings.REVIEWS_MIN_PANEL_SIZE = 3
    pool(technical=7, management=1, financial=1)
    small, _ = scored_panel(app, officer_user, [60, 70, 80], ["pass"] * 3)

    from .factories import plan_in_expert_review

    other = plan_in_expert_review(name="煤机智能制造")
    big, _ = scored_panel(other, officer_user, [60, 70, 80, 90, 50, 65, 75, 85, 95], ["pass"] * 9)

    def count(panel):
        with CaptureQueriesContext(connection) as ctx:
            result = selectors.panel_result(panel)
            assert result.count == panel.size
        return len(ctx.captured_queries)

    assert count(small) == count(big)


def test_opinion_pdf_contains_plan_name_members_and_opinion(app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, members = scored_panel(app, officer_user, [90, 85, 80, 70, 75], ["pass"] * 5)
    members_services.panel_set_chair(actor=officer_user, panel_id=panel.pk, member_id=members[0].pk)
    chair = PanelMember.objects.get(pk=members[0].pk)
    sign_opinion(
        panel,
        chair,
        summary="该中心建设基础扎实，技术创新能力较强，同意通过论证。",
        points=["细化三年建设目标的年度分解。"],
    )
    panel.refresh_from_db()
    pdf = render_opinion_pdf(panel)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    compact = "".join(text.split())
    assert "山西省半导体材料技术创新中心" in compact
    assert "该中心建设基础扎实，技术创新能力较强，同意通过论证。" in compact
    assert "细化三年建设目标的年度分解。" in compact
    assert "专家组组长（签字）" in compact
    assert str(members[0].expert.user) in compact
    assert "80.00" in compact  # mean of 90, 85, 80, 70, 75
