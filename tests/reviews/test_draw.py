"""The random draw: conflicts excluded first, kind minimums, clear failure, reproducible."""

import pytest

from audit.models import AuditEvent
from reviews import draw as drawing
from reviews.draw import pick
from reviews.models import Panel, PanelMember, ScoreTemplate
from reviews.services import members as members_services
from reviews.services import panels
from reviews.services.common import ReviewError

from .factories import expert, form_panel, pool

pytestmark = pytest.mark.django_db


def test_draw_never_picks_experts_of_lead_or_cobuilder_and_meets_kind_minimums(app, officer_user):
    cobuilder = app.versions.get().data["plan"]["cobuilders"]["items"][0]
    lead = expert(
        employer_name=app.organization.name, employer_credit_code=app.organization.credit_code
    )
    co = expert(employer_name=cobuilder["name"], employer_credit_code=cobuilder["credit_code"])
    # no credit code: the name decides
    co_by_name = expert("management", employer_name=cobuilder["name"], employer_credit_code="")
    avoider = expert(avoid=[{"name": app.organization.name, "credit_code": ""}])
    inactive = expert("financial", is_active=False)
    good = pool(technical=3, management=1, financial=1)

    candidates = drawing.eligibility(
        data=app.versions.get().data, field_id=app.industry_field_id
    ).candidates
    for seed in range(8):  # whatever the seed, never a conflicted expert
        picked = pick(candidates, {"technical": 3, "management": 1, "financial": 1}, seed)
        assert {pk for ids in picked.values() for pk in ids} == {e.pk for e in good}

    panel = form_panel(app, officer_user)
    members = list(panel.members.all())
    assert len(members) == 5
    kinds = [m.kind for m in members]
    assert (
        kinds.count("technical") == 3
        and kinds.count("management") == 1
        and kinds.count("financial") == 1
    )
    assert not {lead.pk, co.pk, co_by_name.pk, avoider.pk, inactive.pk} & {
        m.expert_id for m in members
    }

    record = panel.draws.get()
    reasons = {e["expert"]: "；".join(e["reasons"]) for e in record.exclusions}
    assert "受聘于牵头单位" in reasons[lead.pk]
    assert "受聘于共建单位「山西示范大学」" in reasons[co.pk]
    assert "受聘于共建单位" in reasons[co_by_name.pk]
    assert "本人回避名单包含牵头单位" in reasons[avoider.pk]
    assert reasons[inactive.pk] == "专家已停用"
    assert record.seed == 42
    assert AuditEvent.objects.filter(action="reviews.panel.formed").count() == 1


def test_technical_experts_must_match_the_plan_field(app, officer_user):
    from centers.models import IndustryField

    other_field = IndustryField.objects.exclude(pk=app.industry_field_id).first()
    wrong = expert(fields=[other_field])
    pool(technical=3, management=1, financial=1)
    panel = form_panel(app, officer_user)
    assert wrong.pk not in set(panel.members.values_list("expert_id", flat=True))
    excluded = {e["expert"]: e["reasons"] for e in panel.draws.get().exclusions}
    assert excluded[wrong.pk] == ["技术专家的产业领域与建设方案不符"]


def test_applicant_avoidance_request_excludes_named_experts(app, officer_user):
    pool(technical=3, management=1, financial=1)
    named = expert("management", employer_name="回避大学")
    panel = panels.panel_form(
        actor=officer_user,
        application_id=app.pk,
        size=5,
        n_technical=3,
        n_management=1,
        n_financial=1,
        score_deadline=__import__("django").utils.timezone.localdate(),
        avoid_request="回避大学",
        seed=1,
    )
    assert named.pk not in set(panel.members.values_list("expert_id", flat=True))


def test_pool_too_small_fails_with_a_clear_message_and_creates_nothing(app, officer_user):
    pool(technical=3, management=1, financial=0)
    expert(
        "financial",
        employer_name=app.organization.name,
        employer_credit_code=app.organization.credit_code,
    )
    with pytest.raises(ReviewError) as exc:
        form_panel(app, officer_user)
    assert "财务专家不足：需要 1 名，排除利益冲突后符合条件的只有 0 名。" in exc.value.messages
    assert not Panel.objects.exists()
    assert ScoreTemplate.objects.get(is_default=True).frozen_at is None


@pytest.mark.parametrize(
    ("size", "counts", "message"),
    [
        (4, (2, 1, 1), "专家组人数应为奇数。"),
        (5, (4, 1, 0), "财务专家至少 1 名。"),
        (5, (2, 1, 1), "各类专家人数之和（4）应等于专家组人数（5）。"),
        (3, (1, 1, 1), "专家组人数不得少于 5 人。"),
    ],
)
def test_composition_rules(app, officer_user, experts, size, counts, message):
    with pytest.raises(ReviewError) as exc:
        form_panel(app, officer_user, size=size, counts=counts)
    assert message in exc.value.messages


def test_draw_is_reproducible_from_its_record(app, officer_user, experts):
    panel = form_panel(app, officer_user, seed=987654321)
    record = panel.draws.get()
    assert panels.reproduce_draw(record)
    again = pick(record.candidates, record.wanted, record.seed)
    assert again == record.picked
    assert {pk for ids in again.values() for pk in ids} == set(
        panel.members.values_list("expert_id", flat=True)
    )


def test_template_is_frozen_once_used(app, officer_user, experts):
    from django.core.exceptions import ValidationError

    panel = form_panel(app, officer_user)
    template = panel.template
    assert template.is_frozen
    criterion = template.criteria.first()
    criterion.max_points = 50
    with pytest.raises(ValidationError):
        criterion.save()


def test_only_officers_form_panels(app, experts):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        form_panel(app, experts[0].user)


def test_replacement_draws_same_kind_and_records_reason(app, officer_user):
    pool(technical=4, management=2, financial=1)
    panel = form_panel(app, officer_user)
    member = panel.members.filter(kind="management").get()
    new = members_services.member_replace(
        actor=officer_user, member_id=member.pk, reason="专家临时出差"
    )
    member.refresh_from_db()
    assert member.status == PanelMember.Status.REMOVED
    assert member.replaced_by == new
    assert new.kind == "management" and new.expert_id != member.expert_id
    replacement = panel.draws.get(purpose="replacement")
    assert "专家临时出差" in replacement.reason
    assert panels.reproduce_draw(replacement)
    with pytest.raises(ReviewError):
        members_services.member_replace(actor=officer_user, member_id=member.pk, reason="再换一次")
