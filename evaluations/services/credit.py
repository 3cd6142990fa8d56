"""The credit check (信用核查): before evaluating, the province records the lead
organization's research-integrity and social-credit check (result, source, date, evidence).
Evaluating starts once both the self-report and the check are in; a failed check is shown
on every later step (the evaluation page, the score form, the decision)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit.services import record
from evaluations.models import CreditCheck, EvaluationFile, EvaluationStatus
from evaluations.services.common import (
    EvaluationError,
    attach,
    evaluator_users,
    lock,
    notify_later,
    require_officer,
    require_state,
    zh,
)

CHECKABLE = (EvaluationStatus.COMMISSIONED, EvaluationStatus.SELF_REPORT)


def start_if_ready(*, actor, evaluation) -> bool:
    """self_report → evaluating once the credit check is recorded (inside the caller's lock)."""
    if evaluation.status != EvaluationStatus.SELF_REPORT:
        return False
    if not CreditCheck.objects.filter(evaluation=evaluation).exists():
        return False
    before = evaluation.status
    evaluation.start_evaluating()
    evaluation.save()
    record(
        actor=actor,
        action="evaluations.evaluating",
        target=evaluation,
        from_state=before,
        to_state=evaluation.status,
        data={"label": "自评报告和信用核查齐备，进入评估"},
    )
    notify_later(
        evaluator_users(evaluation.institution_id),
        f"{evaluation.center.name}的评估材料已齐备，请开展评估",
        "",
        reverse("evaluations:score", args=[evaluation.pk]),
    )
    return True


def record_credit_check(
    *,
    actor,
    evaluation_id: int,
    result: str,
    source: str,
    checked_on: dt.date,
    note: str = "",
    evidence=None,
) -> CreditCheck:
    require_officer(actor)
    source = (source or "").strip()
    problems = []
    if result not in CreditCheck.Result.values:
        problems.append(_("Choose the result of the check."))
    if not source:
        problems.append(
            _(
                "Say where the check was made (such as Credit China or the research integrity "
                "information system)."
            )
        )
    if checked_on is None or checked_on > timezone.localdate():
        problems.append(_("The date of the check cannot be after today."))
    if problems:
        raise EvaluationError(problems)
    with transaction.atomic():
        evaluation = lock(evaluation_id)
        if CreditCheck.objects.filter(evaluation=evaluation).exists():
            raise EvaluationError(
                _(
                    "The credit check of this evaluation is already recorded; do not record it twice."
                )
            )
        require_state(evaluation, *CHECKABLE, doing=pgettext("cannot …", "record the credit check"))
        files = attach(
            actor=actor,
            evaluation=evaluation,
            part=EvaluationFile.Part.CREDIT,
            uploads=[evidence] if evidence else [],
            label=pgettext("evaluation", "Evidence"),
        )
        check = CreditCheck.objects.create(
            evaluation=evaluation,
            result=result,
            source=source[:200],
            checked_on=checked_on,
            note=(note or "").strip(),
            evidence=files[0] if files else None,
            recorded_by=actor,
        )
        record(
            actor=actor,
            action="evaluations.credit_checked",
            target=evaluation,
            data={
                "label": f"信用核查：{zh(check.get_result_display())}",
                "result": result,
                "source": check.source,
                "checked_on": checked_on.isoformat(),
            },
        )
        start_if_ready(actor=actor, evaluation=evaluation)
    return check
