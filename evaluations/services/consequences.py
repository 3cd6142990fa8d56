"""Consequences of a decision: revocation sets the center to revoked (the registry shows the
date and the reason) and issues the revocation notice (撤销通知) through the same
IssuedDocument path and official layout as the designation notice (documents.services
.issue_document: numbered from the shared sequence, stored once)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import record
from centers.models import Center, CenterStatus
from documents.formatting import cn_date
from documents.models import DocumentKind, IssuedDocument
from documents.services import issue_document
from evaluations.models import Evaluation, Outcome, RevocationReason
from evaluations.services.common import EvaluationError, zh

log = logging.getLogger(__name__)

TEMPLATE = "evaluations/revocation_notice_pdf.html"
MAX_BYTES = 1024 * 1024
REGULATION = "《山西省技术创新中心管理办法（试行）》"


def revocation_text(reason: str, note: str) -> str:
    label = zh(RevocationReason(reason).label)
    return f"{label}：{note}" if note else label


def set_center_status(*, actor, center_id: int, status: str, reason: str = "") -> Center:
    """Inside the caller's transaction: lock the center and set its status (audited)."""
    Center.objects.select_for_update().filter(pk=center_id).values_list("pk").get()
    center = Center.objects.get(pk=center_id)
    before = center.status
    if before == status:
        return center
    center.status = status
    fields = ["status"]
    if status == CenterStatus.REVOKED:
        center.revoked_on = timezone.localdate()
        center.revocation_reason = reason
        fields += ["revoked_on", "revocation_reason"]
    center.save(update_fields=fields)
    record(
        actor=actor,
        action=f"evaluations.center_{status}",
        target=center,
        from_state=before,
        to_state=status,
        data={"label": f"中心状态改为「{zh(center.get_status_display())}」", "reason": reason},
    )
    return center


def revoke(*, actor, evaluation: Evaluation, reason: str, note: str) -> Center:
    """Revoke the center of ``evaluation`` and queue its revocation notice after the commit."""
    center = set_center_status(
        actor=actor,
        center_id=evaluation.center_id,
        status=CenterStatus.REVOKED,
        reason=revocation_text(reason, note),
    )
    transaction.on_commit(lambda: _queue_notice(evaluation.pk))
    return center


NOTICE_TASK = "evaluations.tasks.issue_revocation_notice"


def _queue_notice(evaluation_id: int) -> None:
    """Queue the notice by task name (the tasks module calls the services)."""
    from celery import current_app

    if current_app.conf.task_always_eager:  # no worker (tests, one-process setups)
        issue_revocation_notice(actor=None, evaluation_id=evaluation_id)
        return
    try:
        current_app.send_task(NOTICE_TASK, args=[evaluation_id])
    except Exception:  # the broker is down: the daily beat task issues it (issue_missing)
        log.exception("could not queue the revocation notice of evaluation %s", evaluation_id)


def notice_title(center) -> str:
    return f"{settings.ST_DEPARTMENT_NAME}关于撤销{center.name}的通知"


def notice_context(evaluation: Evaluation) -> dict:
    """The notice's facts, in Chinese whatever the language of the request (the document)."""
    with translation.override("zh-hans"):
        return _notice_context(evaluation)


def _notice_context(evaluation: Evaluation) -> dict:
    center = evaluation.center
    department = center.department
    addressees = [center.lead_organization.public_name]
    if department and department.name not in addressees:
        addressees.append(department.name)
    return {
        "center_name": center.name,
        "center_number": center.number,
        "lead_organization": center.lead_organization.public_name,
        "department_name": department.name if department else "",
        "addressees": addressees,
        "designated_on_cn": cn_date(center.designated_on),
        "years_label": evaluation.years_label,
        "grade": evaluation.get_grade_display() if evaluation.grade else "",
        "reason": center.revocation_reason or revocation_text(evaluation.revocation_reason, ""),
        "revoked_on_cn": cn_date(center.revoked_on or timezone.localdate()),
        "regulation": REGULATION,
    }


def issue_revocation_notice(
    *, actor=None, evaluation_id: int, now: dt.datetime | None = None
) -> IssuedDocument:
    """Issue the revocation notice of a revoking evaluation, once (idempotent)."""
    with transaction.atomic():
        found = (
            Evaluation.objects.select_for_update(of=("self",))
            .filter(pk=evaluation_id)
            .values_list("pk", flat=True)
            .first()
        )
        if found is None:
            raise EvaluationError(_("This evaluation does not exist."))
        evaluation = Evaluation.objects.select_related(
            "center__lead_organization", "center__department", "revocation_document"
        ).get(pk=found)
        if evaluation.revocation_document_id:
            return evaluation.revocation_document
        revoked = evaluation.outcome == Outcome.REVOKE or (
            getattr(evaluation, "rectification", None) is not None
            and evaluation.rectification.follow_up_outcome == Outcome.REVOKE
        )
        if not revoked or evaluation.center.status != CenterStatus.REVOKED:
            raise EvaluationError(
                _("Only an evaluation decided as revoked gets a revocation notice.")
            )
        document = issue_document(
            actor=actor,
            kind=DocumentKind.REVOCATION_NOTICE,
            title=notice_title(evaluation.center),
            template_name=TEMPLATE,
            context=notice_context(evaluation),
            target=evaluation.center,
            max_bytes=MAX_BYTES,
            now=now,
        )
        Evaluation.objects.filter(pk=evaluation.pk).update(revocation_document=document)
    return document


def issue_missing() -> list[IssuedDocument]:
    """Issue the notice of every revocation that has none yet (the daily beat task)."""
    from django.db.models import Q

    pending = Evaluation.objects.filter(
        Q(outcome=Outcome.REVOKE) | Q(rectification__follow_up_outcome=Outcome.REVOKE),
        center__status=CenterStatus.REVOKED,
        revocation_document__isnull=True,
    ).values_list("pk", flat=True)
    return [issue_revocation_notice(evaluation_id=pk) for pk in list(pending)]
