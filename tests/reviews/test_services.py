"""Scoring, conflict declarations, the panel opinion, conclusion and the improved plan."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from applications.services import TransitionError
from audit.models import AuditEvent
from notifications.models import Message
from reviews import rules
from reviews.models import Criterion, OpinionPoint, PanelMember, pts
from reviews.services import members as members_services
from reviews.services import opinion, scoring, visits
from reviews.services.common import ReviewError

from .factories import accept_all, form_panel, score_all, sign_opinion

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(app, officer_user, experts):
    return form_panel(app, officer_user)


def _scores(panel, ratio=Decimal("0.5")):
    return {c.pk: c.max_points * ratio for c in Criterion.objects.filter(template=panel.template)}


def test_accepting_grants_the_plan_declining_asks_for_replacement(panel, officer_user):
    first, second = panel.members.select_related("expert__user")[:2]
    assert not first.expert.user.has_perm("applications.view_application", panel.application)
    members_services.member_respond(actor=first.expert.user, member_id=first.pk, accept=True)
    user = type(first.expert.user).objects.get(pk=first.expert.user_id)
    assert user.has_perm("applications.view_application", panel.application)

    members_services.member_respond(
        actor=second.expert.user, member_id=second.pk, accept=False, note="出国"
    )
    second.refresh_from_db()
    assert second.status == PanelMember.Status.DECLINED and second.needs_replacement
    assert Message.objects.filter(recipient=officer_user, subject__startswith="请补选专家").exists()
    with pytest.raises(PermissionDenied):
        members_services.member_respond(actor=second.expert.user, member_id=first.pk, accept=True)


def test_declaring_a_conflict_removes_the_expert_and_revokes_access(panel, officer_user):
    member = panel.members.select_related("expert__user").first()
    members_services.member_respond(actor=member.expert.user, member_id=member.pk, accept=True)
    members_services.member_declare(
        actor=member.expert.user, member_id=member.pk, conflict=True, note="曾在牵头单位兼职"
    )
    member.refresh_from_db()
    assert member.status == PanelMember.Status.CONFLICT
    user = type(member.expert.user).objects.get(pk=member.expert.user_id)
    assert not user.has_perm("applications.view_application", panel.application)
    assert Message.objects.filter(recipient=officer_user, body__contains="利益冲突").exists()
    assert AuditEvent.objects.filter(action="reviews.member.conflict").count() == 1
    new = members_services.member_replace(
        actor=officer_user, member_id=member.pk, reason="利益冲突回避"
    )
    assert new.kind == member.kind and new.status == PanelMember.Status.INVITED


def test_scoring_needs_the_declaration_first(panel):
    member = panel.members.select_related("expert__user").first()
    members_services.member_respond(actor=member.expert.user, member_id=member.pk, accept=True)
    with pytest.raises(ReviewError) as exc:
        scoring.score_save(actor=member.expert.user, member_id=member.pk, scores={})
    assert "利益冲突声明" in exc.value.messages[0]


def test_score_beyond_maximum_is_refused_and_submitted_scores_are_locked(panel):
    (member, *_rest) = accept_all(panel)
    user = member.expert.user
    criteria = list(Criterion.objects.filter(template=panel.template))
    too_much = {c.pk: c.max_points + 1 for c in criteria}
    with pytest.raises(ReviewError) as exc:
        scoring.score_save(actor=user, member_id=member.pk, scores=too_much)
    assert (
        f"「{criteria[0].name}」的得分不能超过该项满分 {pts(criteria[0].max_points)} 分。"
        in exc.value.messages
    )

    # a draft may be incomplete
    scoring.score_save(actor=user, member_id=member.pk, scores={criteria[0].pk: Decimal(10)})
    # submitting needs everything
    with pytest.raises(ReviewError) as exc:
        scoring.score_save(
            actor=user, member_id=member.pk, scores={criteria[0].pk: Decimal(10)}, submit=True
        )
    assert "请填写评审意见。" in exc.value.messages and "请选择评审建议。" in exc.value.messages

    scoring.score_save(
        actor=user,
        member_id=member.pk,
        scores=_scores(panel),
        opinion="良好",
        recommendation="pass",
        submit=True,
    )
    with pytest.raises(ReviewError) as exc:
        scoring.score_save(actor=user, member_id=member.pk, scores=_scores(panel, Decimal(1)))
    assert exc.value.messages == ["评分已提交，不能再修改。"]
    assert member.sheet.scores.get(criterion=criteria[0]).points == criteria[0].max_points / 2


def test_another_expert_cannot_write_my_sheet(panel):
    a, b, *_ = accept_all(panel)
    with pytest.raises(PermissionDenied):
        scoring.score_save(actor=b.expert.user, member_id=a.pk, scores=_scores(panel))


def test_full_pass_path_to_awaiting_meeting(panel, officer_user, app):
    members = accept_all(panel)
    chair = members[0]
    members_services.panel_set_chair(actor=officer_user, panel_id=panel.pk, member_id=chair.pk)
    chair.refresh_from_db()

    # the opinion cannot be signed before all scores are in
    with pytest.raises(ReviewError) as exc:
        sign_opinion(panel, chair)
    assert "全体专家提交评分后才能签署专家组意见。" in exc.value.messages
    assert not rules.panel_can_pass(app)

    score_all(panel)
    assert rules.scores_complete(panel)
    with pytest.raises(TransitionError):  # scores in, opinion missing
        opinion.panel_conclude(actor=officer_user, panel_id=panel.pk, outcome="pass")
    sign_opinion(panel, chair)
    assert rules.panel_can_pass(app) and not rules.opinion_points_answered(app)

    opinion.panel_conclude(actor=officer_user, panel_id=panel.pk, outcome="pass")
    app.refresh_from_db()
    panel.refresh_from_db()
    assert app.status == "improving"
    assert panel.status == "concluded" and panel.outcome == "pass"
    with pytest.raises(ReviewError):  # a second conclusion gets a clear message
        opinion.panel_conclude(actor=officer_user, panel_id=panel.pk, outcome="fail")
    applicant = app.created_by
    assert Message.objects.filter(recipient=applicant, subject__contains="专家论证通过").exists()

    points = list(OpinionPoint.objects.filter(panel=panel))
    with pytest.raises(ReviewError) as exc:
        opinion.improvement_save(
            actor=applicant, application_id=app.pk, answers={points[0].pk: "已补充。"}, submit=True
        )
    assert exc.value.messages == ["请回应专家组意见第 2 条。"]
    app.refresh_from_db()
    assert app.status == "improving"
    assert OpinionPoint.objects.get(pk=points[0].pk).answer == ""  # rolled back with the refusal

    opinion.improvement_save(
        actor=applicant,
        application_id=app.pk,
        answers={points[0].pk: "已明确研发投入来源。", points[1].pk: "已补充共建分工。"},
        submit=True,
    )
    app.refresh_from_db()
    assert app.status == "awaiting_meeting"
    assert app.versions.count() == 2
    assert app.versions.order_by("-number").first().reason == "improved"
    assert AuditEvent.objects.filter(action="application.submit_improved").count() == 1


def test_conclude_fail_rejects_with_the_opinion_as_reason(panel, officer_user, app):
    members = accept_all(panel)
    members_services.panel_set_chair(actor=officer_user, panel_id=panel.pk, member_id=members[0].pk)
    members[0].refresh_from_db()
    score_all(panel, recommendation="fail")
    sign_opinion(panel, members[0], summary="建设基础薄弱，不建议认定。", points=["研发投入不足。"])
    opinion.panel_conclude(actor=officer_user, panel_id=panel.pk, outcome="fail")
    app.refresh_from_db()
    assert app.status == "rejected"
    assert (
        "建设基础薄弱，不建议认定。" in app.last_reason and "1. 研发投入不足。" in app.last_reason
    )
    event = AuditEvent.objects.get(action="application.conclude_fail")
    assert "建设基础薄弱" in event.data["reason"]


def test_only_the_chair_writes_the_opinion(panel, officer_user):
    members = accept_all(panel)
    members_services.panel_set_chair(actor=officer_user, panel_id=panel.pk, member_id=members[0].pk)
    with pytest.raises(PermissionDenied):
        sign_opinion(panel, members[1])


def test_visit_record_and_expert_notes(panel, officer_user):
    import datetime as dt

    members = accept_all(panel)
    visit = visits.visit_record(
        actor=officer_user,
        panel_id=panel.pk,
        kind="inspection",
        date=dt.date(2026, 12, 1),
        place="太原市小店区",
        attendees="专家组全体成员",
        findings="场地与方案一致。",
    )
    note = visits.visit_note_save(
        actor=members[0].expert.user, member_id=members[0].pk, visit_id=visit.pk, text="设备先进。"
    )
    assert note.visit == visit
    assert AuditEvent.objects.filter(action="reviews.visit.inspection").count() == 1
    assert Message.objects.filter(
        recipient=members[1].expert.user, subject__contains="实地考察"
    ).exists()
