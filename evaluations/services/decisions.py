"""The province's decision on an evaluation (保留 / 整改 / 撤销), revocation for
non-submission, the center's rectification report and the follow-up check. Each is one
service call: officer check, row lock, transition, audit event, notifications after commit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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
    zh,
)
from evaluations.services.self_reports import grace_days, revocable_for_non_submission

DECISION_REVOCATION_REASONS = (RevocationReason.FAILED, RevocationReason.FALSE_DATA)


def _check_decision(evaluation, *, outcome, grade, note, requirements, deadline, reason, today):
    problems = []
    if outcome not in Outcome.values:
        problems.append(_("Choose the decision."))
    if grade not in Grade.values:
        problems.append(_("Set the evaluation grade."))
    elif grade != evaluation.proposed_grade and not note:
        problems.append(
            _(
                "The grade differs from the one the institution proposed; give the reason in the "
                "explanation of the decision."
            )
        )
    if outcome == Outcome.RETAIN and grade == Grade.FAIL:
        problems.append(
            _(
                "A center that failed the evaluation cannot simply be retained; decide to rectify or revoke."
            )
        )
    if outcome == Outcome.RECTIFY:
        if not requirements:
            problems.append(_("Fill in the rectification requirements."))
        if deadline is None or deadline <= today:
            problems.append(_("The rectification deadline must be after today."))
    if outcome == Outcome.REVOKE:
        if reason not in DECISION_REVOCATION_REASONS:
            problems.append(
                _("Choose the reason for revocation (failed the evaluation or false materials).")
            )
        elif reason == RevocationReason.FAILED and grade != Grade.FAIL:
            problems.append(
                _("To revoke for a failed evaluation, the evaluation grade must be fail.")
            )
        if not note:
            problems.append(
                _("To revoke, give the facts and the reasons in the explanation of the decision.")
            )
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
        require_state(evaluation, EvaluationStatus.PROPOSED, doing=pgettext("cannot …", "decide"))
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
        label = f"决定：{zh(Outcome(outcome).label)}（评估等次{zh(Grade(grade).label)}）"
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
        _tell(
            evaluation,
            f"三年绩效评估结果：{zh(Grade(grade).label)}，{zh(Outcome(outcome).label)}",
            note,
        )
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
        raise EvaluationError(
            _("State the facts of the non-submission (such as the reminders sent).")
        )
    with transaction.atomic():
        evaluation = lock(evaluation_id)
        require_state(
            evaluation, EvaluationStatus.COMMISSIONED, doing=pgettext("cannot …", "revoke")
        )
        if not revocable_for_non_submission(evaluation):
            raise EvaluationError(
                _(
                    "Within %(days)s days after the self-report deadline the center cannot be "
                    "revoked for not submitting its evaluation materials."
                )
                % {"days": grace_days()}
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
        raise EvaluationError(_("This evaluation has no rectification."))
    return evaluation, item


def submit_rectification(*, actor, evaluation_id: int, report: str, uploads=()):
    report = (report or "").strip()
    with transaction.atomic():
        evaluation, item = _lock_rectification(evaluation_id)
        if not can_keep(actor, evaluation.center):
            raise PermissionDenied(
                _(
                    "Only the staff of the center's lead organization can submit the rectification report."
                )
            )
        if item.status != RectificationStatus.REQUIRED:
            raise EvaluationError(
                _("The rectification report is already submitted; do not submit it twice.")
            )
        if not report:
            raise EvaluationError(_("Fill in the rectification report."))
        files = attach(
            actor=actor,
            evaluation=evaluation,
            part=EvaluationFile.Part.RECTIFICATION,
            uploads=uploads,
            label=_("Rectification report attachment"),
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
        raise EvaluationError(_("Choose the follow-up conclusion (retain or revoke)."))
    if outcome == Outcome.REVOKE and not note:
        raise EvaluationError(_("To revoke, fill in the follow-up opinion."))
    with transaction.atomic():
        evaluation, item = _lock_rectification(evaluation_id)
        if item.status != RectificationStatus.REPORTED:
            raise EvaluationError(
                _(
                    "Cannot follow up: the rectification is now “%(status)s”. Reload the page to "
                    "see where it stands."
                )
                % {"status": item.get_status_display()}
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
            data={"label": f"整改复核：{zh(Outcome(outcome).label)}", "note": note},
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
        _tell(evaluation, f"整改复核结论：{zh(Outcome(outcome).label)}", note)
    return item
