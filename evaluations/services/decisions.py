"""The province's decision on an evaluation (保留 / 整改 / 撤销), revocation for
non-submission, the center's rectification report and the follow-up check. Each is one
service call: officer check, row lock, transition, audit event, notifications after commit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import record
from centers.models import CenterStatus
from centers.services.profile import can_keep
from evaluations.models import (
    EvaluationFile,
    EvaluationStatus,
    Grade,
    Outcome,
    Rectification,
    RectificationStatus,
    RevocationReason,
)
from evaluations.services import consequences
from evaluations.services.common import (
    EvaluationError,
    attach,
    center_staff,
    evaluator_users,
    lock,
    notify_later,
    officers,
    require_officer,
    require_state,
)
from evaluations.services.self_reports import grace_days, revocable_for_non_submission

DECISION_REVOCATION_REASONS = (RevocationReason.FAILED, RevocationReason.FALSE_DATA)


def _check_decision(evaluation, *, outcome, grade, note, requirements, deadline, reason, today):
    problems = []
    if outcome not in Outcome.values:
        problems.append("请选择处理决定。")
    if grade not in Grade.values:
        problems.append("请确定评估等次。")
    elif grade != evaluation.proposed_grade and not note:
        problems.append("确定的等次与评估机构建议不同，请在决定说明中写明理由。")
    if outcome == Outcome.RETAIN and grade == Grade.FAIL:
        problems.append("评估不合格的中心不能直接保留，请决定整改或撤销。")
    if outcome == Outcome.RECTIFY:
        if not requirements:
            problems.append("请填写整改要求。")
        if deadline is None or deadline <= today:
            problems.append("整改期限须晚于今天。")
    if outcome == Outcome.REVOKE:
        if reason not in DECISION_REVOCATION_REASONS:
            problems.append("请选择撤销原因（评估不合格或材料弄虚作假）。")
        elif reason == RevocationReason.FAILED and grade != Grade.FAIL:
            problems.append("以评估不合格为由撤销时，评估等次须为不合格。")
        if not note:
            problems.append("撤销时请在决定说明中写明事实和理由。")
    return problems


def decide(
    *,
    actor,
    evaluation_id: int,
    outcome: str,
    grade: str,
    note: str = "",
    requirements: str = "",
    deadline: dt.date | None = None,
    revocation_reason: str = "",
):
    require_officer(actor)
    note, requirements = (note or "").strip(), (requirements or "").strip()
    today = timezone.localdate()
    with transaction.atomic():
        evaluation = lock(evaluation_id)
        require_state(evaluation, EvaluationStatus.PROPOSED, doing="作出决定")
        problems = _check_decision(
            evaluation,
            outcome=outcome,
            grade=grade,
            note=note,
            requirements=requirements,
            deadline=deadline,
            reason=revocation_reason,
            today=today,
        )
        if problems:
            raise EvaluationError(problems)
        before = evaluation.status
        evaluation.decide()
        evaluation.grade = grade
        evaluation.outcome = outcome
        evaluation.decision_note = note
        evaluation.revocation_reason = revocation_reason if outcome == Outcome.REVOKE else ""
        evaluation.decided_at = timezone.now()
        evaluation.decided_by = actor
        evaluation.priority_support = grade == Grade.EXCELLENT and outcome == Outcome.RETAIN
        evaluation.save()
        label = f"决定：{Outcome(outcome).label}（评估等次{Grade(grade).label}）"
        record(
            actor=actor,
            action=f"evaluations.decided_{outcome}",
            target=evaluation,
            from_state=before,
            to_state=evaluation.status,
            data={"label": label, "grade": grade, "outcome": outcome, "note": note},
        )
        if outcome == Outcome.RECTIFY:
            Rectification.objects.create(
                evaluation=evaluation, requirements=requirements, deadline=deadline
            )
            consequences.set_center_status(
                actor=actor, center_id=evaluation.center_id, status=CenterStatus.RECTIFYING
            )
        elif outcome == Outcome.REVOKE:
            consequences.revoke(
                actor=actor, evaluation=evaluation, reason=revocation_reason, note=note
            )
        _tell(evaluation, f"三年绩效评估结果：{Grade(grade).label}，{Outcome(outcome).label}", note)
    return evaluation


def _tell(evaluation, subject, body):
    link = reverse("evaluations:detail", args=[evaluation.pk])
    notify_later(center_staff(evaluation.center), subject, body, link)
    if evaluation.institution_id:
        notify_later(evaluator_users(evaluation.institution_id), subject, "", link)


def revoke_for_non_submission(*, actor, evaluation_id: int, note: str):
    """Revoke a center that has not submitted its self-report after the grace period."""
    require_officer(actor)
    note = (note or "").strip()
    if not note:
        raise EvaluationError("请写明未提交评估材料的事实（如催告情况）。")
    with transaction.atomic():
        evaluation = lock(evaluation_id)
        require_state(evaluation, EvaluationStatus.COMMISSIONED, doing="撤销")
        if not revocable_for_non_submission(evaluation):
            raise EvaluationError(
                f"自评报告截止日后{grace_days()}天内不能以未提交评估材料为由撤销。"
            )
        before = evaluation.status
        evaluation.revoke_for_non_submission()
        evaluation.outcome = Outcome.REVOKE
        evaluation.revocation_reason = RevocationReason.NON_SUBMISSION
        evaluation.decision_note = note
        evaluation.decided_at = timezone.now()
        evaluation.decided_by = actor
        evaluation.save()
        record(
            actor=actor,
            action="evaluations.decided_revoke",
            target=evaluation,
            from_state=before,
            to_state=evaluation.status,
            data={"label": "决定：撤销（无正当理由未按期提交评估材料）", "note": note},
        )
        consequences.revoke(
            actor=actor,
            evaluation=evaluation,
            reason=RevocationReason.NON_SUBMISSION,
            note=note,
        )
        _tell(evaluation, "中心因未按期提交评估材料被撤销", note)
    return evaluation


def _lock_rectification(evaluation_id):
    evaluation = lock(evaluation_id)
    item = Rectification.objects.select_for_update().filter(evaluation=evaluation).first()
    if item is None:
        raise EvaluationError("该评估没有整改要求。")
    return evaluation, item


def submit_rectification(*, actor, evaluation_id: int, report: str, uploads=()):
    report = (report or "").strip()
    with transaction.atomic():
        evaluation, item = _lock_rectification(evaluation_id)
        if not can_keep(actor, evaluation.center):
            raise PermissionDenied("只有中心牵头单位的工作人员可以提交整改报告。")
        if item.status != RectificationStatus.REQUIRED:
            raise EvaluationError("整改报告已提交，请勿重复提交。")
        if not report:
            raise EvaluationError("请填写整改报告。")
        files = attach(
            actor=actor,
            evaluation=evaluation,
            part=EvaluationFile.Part.RECTIFICATION,
            uploads=uploads,
            label="整改报告附件",
        )
        before = item.status
        item.submit_report()
        item.report = report
        item.reported_at = timezone.now()
        item.reported_by = actor
        item.save()
        record(
            actor=actor,
            action="evaluations.rectification_reported",
            target=item,
            from_state=before,
            to_state=item.status,
            data={"label": "提交整改报告", "files": [f.name for f in files]},
        )
        notify_later(
            officers(),
            f"{evaluation.center.name}提交了整改报告，待复核",
            "",
            reverse("evaluations:detail", args=[evaluation.pk]),
        )
    return item


def follow_up(*, actor, evaluation_id: int, outcome: str, note: str = ""):
    """The follow-up check of a rectification: retain (the center is active again) or revoke."""
    require_officer(actor)
    note = (note or "").strip()
    if outcome not in (Outcome.RETAIN, Outcome.REVOKE):
        raise EvaluationError("请选择复核结论（保留或撤销）。")
    if outcome == Outcome.REVOKE and not note:
        raise EvaluationError("撤销时请填写复核意见。")
    with transaction.atomic():
        evaluation, item = _lock_rectification(evaluation_id)
        if item.status != RectificationStatus.REPORTED:
            raise EvaluationError(
                f"无法复核：整改当前状态为「{item.get_status_display()}」，请刷新页面查看最新情况。"
            )
        before = item.status
        item.follow_up()
        item.follow_up_outcome = outcome
        item.follow_up_note = note
        item.followed_up_at = timezone.now()
        item.followed_up_by = actor
        item.save()
        record(
            actor=actor,
            action=f"evaluations.followed_up_{outcome}",
            target=item,
            from_state=before,
            to_state=item.status,
            data={"label": f"整改复核：{Outcome(outcome).label}", "note": note},
        )
        if outcome == Outcome.RETAIN:
            consequences.set_center_status(
                actor=actor, center_id=evaluation.center_id, status=CenterStatus.ACTIVE
            )
        else:
            consequences.revoke(
                actor=actor,
                evaluation=evaluation,
                reason=RevocationReason.FAILED_FOLLOW_UP,
                note=note,
            )
        _tell(evaluation, f"整改复核结论：{Outcome(outcome).label}", note)
    return item
