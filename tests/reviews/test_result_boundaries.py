"""Boundaries of the panel result: the deviation warning at exactly the margin, who is
counted (only accepted members who submitted; drafts stay hidden), population standard
deviation, trimming from five, and the aggregates against a reference (hypothesis)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviews import selectors
from reviews.models import Criterion, PanelMember, Score, ScoreSheet
from reviews.services import members as members_services
from reviews.services import scoring

from .factories import accept_all, form_panel, pool

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")


def fill(criteria, total):
    left, out = Decimal(total), {}
    for c in criteria:
        out[c.pk] = min(c.max_points, left)
        left -= out[c.pk]
    assert left == 0
    return out


def submit(member, criteria, total, rec="pass", *, final=True):
    scoring.score_save(
        actor=member.expert.user,
        member_id=member.pk,
        scores=fill(criteria, total),
        opinion=f"总分{total}",
        recommendation=rec,
        submit=final,
    )


def panel_of(app, officer_user, size, counts):
    panel = form_panel(app, officer_user, size=size, counts=counts)
    members = accept_all(panel)
    criteria = list(Criterion.objects.filter(template=panel.template))
    return panel, members, criteria


def scored(app, officer_user, totals, recs=None):
    n = len(totals)
    panel, members, criteria = panel_of(app, officer_user, n, (n - 2, 1, 1))
    for m, total, rec in zip(members, totals, recs or ["pass"] * n, strict=True):
        submit(m, criteria, total, rec)
    return panel, members


# --------------------------------------------------------------------- the margin


def test_deviation_of_exactly_the_margin_is_not_warned(app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, _ = scored(app, officer_user, [60, 75, 75, 75, 90])
    result = selectors.panel_result(panel)
    assert result.margin == Decimal(15) and result.mean == Decimal("75.00")
    assert sorted(r.deviation for r in result.rows) == [-15, 0, 0, 0, 15]
    assert [r.warn for r in result.rows] == [False] * 5
    assert result.warnings == []
    # a hair below the deviation: both ends are warned, with the numbers in the text
    tighter = selectors.panel_result(panel, margin=Decimal("14.9"))
    assert sorted(r.total for r in tighter.rows if r.warn) == [60, 90]
    assert len(tighter.warnings) == 2
    assert "相差 15 分，超过 14.9 分" in tighter.warnings[0]


def test_margin_comes_from_the_panel_unless_given(app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, _ = scored(app, officer_user, [60, 75, 75, 75, 90])
    type(panel).objects.filter(pk=panel.pk).update(deviation_margin=Decimal("10"))
    panel.refresh_from_db()
    result = selectors.panel_result(panel)
    assert result.margin == Decimal("10")
    assert sorted(r.total for r in result.rows if r.warn) == [60, 90]


def test_result_page_at_the_margin_shows_no_warning(client, app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, _ = scored(app, officer_user, [60, 75, 75, 75, 90])
    client.force_login(officer_user)
    html = client.get(reverse("reviews:panel_result", args=[panel.pk])).content.decode()
    assert "超过" not in html
    html = client.get(reverse("reviews:panel_result", args=[panel.pk]) + "?margin=14").content
    assert "超过 14 分" in html.decode()


# --------------------------------------------------------------------- who is counted


def test_only_accepted_members_who_submitted_are_counted_drafts_stay_hidden(app, officer_user):
    pool(technical=4, management=1, financial=1)
    panel = form_panel(app, officer_user, size=5, counts=(3, 1, 1))
    invited = list(panel.members.select_related("expert__user"))
    decliner, drafter, *scorers = invited
    members_services.member_respond(actor=decliner.expert.user, member_id=decliner.pk, accept=False)
    for m in [drafter, *scorers]:
        members_services.member_respond(actor=m.expert.user, member_id=m.pk, accept=True)
        members_services.member_declare(actor=m.expert.user, member_id=m.pk, conflict=False)
    criteria = list(Criterion.objects.filter(template=panel.template))
    for m, total in zip(scorers, [70, 80, 90], strict=True):
        submit(m, criteria, total)
    submit(drafter, criteria, 10, "fail", final=False)  # a draft: saved, not submitted

    result = selectors.panel_result(panel)
    assert result.count == 3
    assert result.mean == Decimal("80.00") and result.spread == Decimal("20.00")
    assert result.criterion_means[0] == Decimal("20.00")  # the draft's 10 is not averaged
    assert dict(result.recommendations)["通过"] == 3
    assert sum(n for _label, n in result.recommendations) == 3
    by_member = {r.member.pk: r for r in result.rows}
    assert decliner.pk not in by_member  # declined without a sheet: not a row at all
    draft_row = by_member[drafter.pk]
    assert draft_row.submitted is False and draft_row.total is None
    assert draft_row.cells == [None] * len(criteria) and draft_row.deviation is None
    assert not draft_row.warn and result.warnings == []
    assert sorted(by_member[m.pk].total for m in scorers) == [70, 80, 90]


def test_drafts_show_only_when_asked_for_and_never_count(app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, members, criteria = panel_of(app, officer_user, 5, (3, 1, 1))
    submit(members[0], criteria, 90)
    submit(members[1], criteria, 40, final=False)
    everything = selectors.panel_result(panel, submitted_only=False)
    row = next(r for r in everything.rows if r.member.pk == members[1].pk)
    assert row.cells[0] == Decimal(20) and row.total is None and not row.submitted
    assert everything.count == 1 and everything.mean == Decimal("90.00")


def test_peer_page_hides_draft_scores(client, app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, members, criteria = panel_of(app, officer_user, 5, (3, 1, 1))
    submit(members[0], criteria, 88)
    submit(members[1], criteria, 33, final=False)
    client.force_login(members[0].expert.user)
    html = client.get(reverse("reviews:member_peers", args=[members[0].pk])).content.decode()
    assert "总分88" in html and "总分33" not in html  # the opinions
    assert ">88<" in html.replace(" ", "") and "33.0" not in html
    client.force_login(members[1].expert.user)
    response = client.get(reverse("reviews:member_peers", args=[members[1].pk]))
    assert response.status_code == 403 and "总分88" not in response.content.decode()


# --------------------------------------------------------------------- spread, stdev, trimming


def test_standard_deviation_is_the_population_one(app, officer_user, settings):
    settings.REVIEWS_MIN_PANEL_SIZE = 3
    pool(technical=1, management=1, financial=1)
    panel, _ = scored(app, officer_user, [60, 75, 90])
    result = selectors.panel_result(panel)
    # population: sqrt(450 / 3) = 12.247…; the sample one would be sqrt(450 / 2) = 15
    assert result.stdev == Decimal("12.25")
    assert result.spread == Decimal("30.00")


def test_one_submitted_sheet_has_zero_spread_and_deviation(app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, members, criteria = panel_of(app, officer_user, 5, (3, 1, 1))
    submit(members[0], criteria, 77)
    result = selectors.panel_result(panel)
    assert (result.count, result.mean, result.spread, result.stdev) == (
        1,
        Decimal("77.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert result.trimmed is False and result.trimmed_mean == Decimal("77.00")


def test_four_sheets_are_not_trimmed_five_are(app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, members, criteria = panel_of(app, officer_user, 5, (3, 1, 1))
    for m, total in zip(members[:4], [40, 70, 80, 90], strict=True):
        submit(m, criteria, total)
    result = selectors.panel_result(panel)
    assert result.count == 4 and result.trimmed is False
    assert result.mean == result.trimmed_mean == Decimal("70.00")
    submit(members[4], criteria, 100)
    result = selectors.panel_result(panel)
    assert result.count == 5 and result.trimmed is True
    assert result.mean == Decimal("76.00") and result.trimmed_mean == Decimal("80.00")


def test_no_sheet_submitted_gives_no_statistics(app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, _members, _criteria = panel_of(app, officer_user, 5, (3, 1, 1))
    result = selectors.panel_result(panel)
    assert result.count == 0
    assert (result.mean, result.trimmed_mean, result.spread, result.stdev) == (None,) * 4


# --------------------------------------------------------------------- pure aggregates


def q(value) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def ref_mean(values):
    return q(Fraction(sum(values)) / len(values)) if values else None


def ref_trimmed(values):
    if len(values) < 5:
        return ref_mean(values), False
    values = sorted(values)
    return ref_mean(values[1:-1]), True


def close_to_sqrt(rounded: Decimal, square: Fraction) -> bool:
    """``rounded`` is sqrt(square) to the cent: (r − ½ct)² ≤ square ≤ (r + ½ct)²."""
    low, high = Fraction(rounded) - Fraction(1, 200), Fraction(rounded) + Fraction(1, 200)
    return max(low, 0) ** 2 <= square <= high**2


points = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
PROPS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@PROPS
@given(values=st.lists(points, min_size=0, max_size=12))
def test_mean_and_trimmed_mean_match_the_reference(values):
    assert selectors.mean(values) == ref_mean(values)
    got, trimmed = selectors.trimmed_mean(values)
    assert (got, trimmed) == ref_trimmed(values)
    assert selectors.trimmed_mean(list(reversed(values))) == (got, trimmed)


@pytest.fixture
def seven(app, officer_user):
    """A panel of seven accepted members, each with a submitted sheet; examples rewrite the points."""
    pool(technical=5, management=1, financial=1)
    panel, members, criteria = panel_of(app, officer_user, 7, (5, 1, 1))
    for m in members:
        submit(m, criteria, 50)
    return panel, members, criteria


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    totals=st.lists(points, min_size=1, max_size=7),
    margin=st.decimals(min_value=0, max_value=30, places=1),
)
def test_panel_result_matches_the_reference(seven, totals, margin):
    panel, members, criteria = seven
    now = timezone.now()
    for i, m in enumerate(members):
        ScoreSheet.objects.filter(member=m).update(submitted_at=now if i < len(totals) else None)
        first = totals[i] if i < len(totals) else Decimal(99)
        Score.objects.filter(sheet__member=m, criterion=criteria[0]).update(points=first)
        Score.objects.filter(sheet__member=m).exclude(criterion=criteria[0]).update(points=0)
    result = selectors.panel_result(panel, margin=margin)
    expected_mean = ref_mean(totals)
    assert result.count == len(totals)
    assert result.mean == expected_mean
    assert (result.trimmed_mean, result.trimmed) == ref_trimmed(totals)
    assert result.spread == q(max(totals) - min(totals))
    mu = Fraction(sum(totals)) / len(totals)
    variance = sum((Fraction(t) - mu) ** 2 for t in totals) / len(totals)
    assert close_to_sqrt(result.stdev, variance)
    submitted = [r for r in result.rows if r.submitted]
    assert sorted(r.total for r in submitted) == sorted(totals)
    for r in submitted:
        assert r.deviation == q(r.total - expected_mean)
        assert r.warn is (abs(r.deviation) > margin)
    assert len(result.warnings) == sum(r.warn for r in submitted)
    assert all(r.total is None and not r.warn for r in result.rows if not r.submitted)
    assert PanelMember.objects.filter(panel=panel).count() == 7


def test_means_round_half_up_to_the_cent():
    # 0.1 / 4 = 0.025 -> 0.03 (half up; banker's rounding would give 0.02)
    assert selectors.mean([Decimal("0.1"), Decimal(0), Decimal(0), Decimal(0)]) == Decimal("0.03")
    assert (
        selectors.mean([Decimal("0.1"), Decimal(0), Decimal(0), Decimal(0)]).as_tuple().exponent
        == -2
    )
    assert selectors.mean([]) is None


def test_deviation_is_total_minus_mean(app, officer_user):
    pool(technical=3, management=1, financial=1)
    panel, members = scored(app, officer_user, [60, 70, 80, 90, 100])
    result = selectors.panel_result(panel)
    by_total = {r.total: r.deviation for r in result.rows}
    assert by_total[Decimal(100)] == Decimal("20.00")
    assert by_total[Decimal(60)] == Decimal("-20.00")
    assert "专家" in result.warnings[0] and "与平均分 80" in result.warnings[0]
