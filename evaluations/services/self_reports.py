"""The center's self-report (自评报告): pre-filled from the cycle's annual reports and the
plan's targets, edited by the center's staff (a changed value needs a reason), submitted once.
A self-report past its deadline is listed and reminded once; after the grace period
(``EVALUATIONS_NON_SUBMISSION_GRACE_DAYS``) the province may revoke for non-submission."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit.services import record
from centers.models_reports import DONE_STATUSES, REPORT_FIGURES, AnnualReport
from centers.services.profile import can_keep
from documents.languages import punct
from evaluations.models import (
    Evaluation,
    EvaluationFile,
    EvaluationStatus,
    SelfReport,
    SelfReportReminder,
    SelfReportValue,
)
from evaluations.services.common import (
    EvaluationError,
    attach,
    center_staff,
    evaluator_users,
    lock,
    notify_later,
    officers,
    require_state,
    zh,
)

# Figures that are a stock (the last year counts); the others add up over the three years.
STOCK_FIGURES = {"rd_staff", "senior_talent", "shared_instruments"}
MAX_FILES = 10


def grace_days() -> int:
    return int(getattr(settings, "EVALUATIONS_NON_SUBMISSION_GRACE_DAYS", 30))


def plan_targets(center) -> dict:
    """The plan's three-year targets by standard key."""
    out = {}
    for item in center.targets or []:
        if isinstance(item, dict) and item.get("key"):
            try:
                out[item["key"]] = Decimal(str(item.get("target")))
            except (InvalidOperation, TypeError, ValueError):
                continue
    return out


def aggregate(reports, name):
    values = [getattr(r, name) for r in sorted(reports, key=lambda r: r.year)]
    values = [v for v in values if v is not None]
    if not values:
        return None
    if name in STOCK_FIGURES:
        return Decimal(str(values[-1]))
    return sum((Decimal(str(v)) for v in values), Decimal("0"))


def prefill(evaluation: Evaluation) -> SelfReport:
    """Create the self-report with the values of the cycle's submitted annual reports
    (idempotent: an existing self-report is returned unchanged)."""
    existing = SelfReport.objects.filter(evaluation=evaluation).first()
    if existing is not None:
        return existing
    report = SelfReport.objects.create(evaluation=evaluation)
    reports = list(
        AnnualReport.objects.filter(
            center=evaluation.center, year__in=evaluation.years, status__in=DONE_STATUSES
        )
    )
    targets = plan_targets(evaluation.center)
    rows = []
    for order, (name, label, unit, _kind, target_key) in enumerate(REPORT_FIGURES):
        value = aggregate(reports, name)
        rows.append(
            SelfReportValue(
                report=report,
                key=name,
                label=zh(label),
                unit=zh(unit),
                order=order,
                prefilled=value,
                value=value,
                target=targets.get(target_key) if target_key else None,
            )
        )
    SelfReportValue.objects.bulk_create(rows)
    return report


def can_report(user, evaluation: Evaluation) -> bool:
    return can_keep(user, evaluation.center)


def _require_keeper(actor, evaluation):
    if not can_report(actor, evaluation):
        raise PermissionDenied(
            _("Only the staff of the center's lead organization can fill in the self-report.")
        )


def _decimal(value):
    if value in (None, ""):
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def save_self_report(
    *, actor, evaluation_id: int, self_assessment: str, values: dict, uploads=()
) -> bool:
    """Save the draft. ``values``: key -> (value, reason). Returns whether anything changed."""
    with transaction.atomic():
        evaluation = lock(evaluation_id)
        _require_keeper(actor, evaluation)
        require_state(
            evaluation,
            EvaluationStatus.COMMISSIONED,
            doing=pgettext("cannot …", "change the self-report"),
        )
        report = prefill(evaluation)
        uploads = [u for u in uploads if u]
        present = EvaluationFile.objects.filter(
            evaluation=evaluation, part=EvaluationFile.Part.SELF_REPORT
        ).count()
        if present + len(uploads) > MAX_FILES:
            raise EvaluationError(
                _("At most %(count)s self-report files can be uploaded.") % {"count": MAX_FILES}
            )
        problems, old, new, dirty = [], {}, {}, []
        for row in report.values.all():
            if row.key not in values:
                continue
            value, reason = values[row.key]
            value, reason = _decimal(value), (reason or "").strip()[:300]
            if value is not None and value < 0:
                problems.append(_("%(figure)s cannot be negative.") % {"figure": row.display_label})
                continue
            if value != row.prefilled and not reason:
                problems.append(
                    _(
                        "%(figure)s differs from the annual reports' total; give the reason for the change."
                    )
                    % {"figure": row.display_label}
                )
                continue
            if value == row.prefilled:
                reason = ""
            if value != row.value or reason != row.reason:
                old[row.key] = {"value": _plain(row.value), "reason": row.reason}
                new[row.key] = {"value": _plain(value), "reason": reason}
                row.value, row.reason = value, reason
                dirty.append(row)
        if problems:
            raise EvaluationError(problems)
        text = (self_assessment or "").strip()
        text_changed = text != report.self_assessment
        if not dirty and not text_changed and not uploads:
            return False
        for row in dirty:
            row.save(update_fields=["value", "reason"])
        if text_changed:
            report.self_assessment = text
            report.save(update_fields=["self_assessment", "updated_at"])
        files = attach(
            actor=actor,
            evaluation=evaluation,
            part=EvaluationFile.Part.SELF_REPORT,
            uploads=uploads,
            label=_("Self-report material"),
        )
        record(
            actor=actor,
            action="evaluations.self_report_saved",
            target=evaluation,
            data={
                "label": "保存自评报告",
                "old": old,
                "new": new,
                "text_changed": text_changed,
                "files": [f.name for f in files],
            },
        )
    return True


def _plain(value):
    return str(value) if value is not None else None


def missing(report: SelfReport) -> list[str]:
    out = [] if report.self_assessment.strip() else [_("the text of the self-report")]
    out += [v.display_label for v in report.values.all() if v.value is None]
    return out


def submit_self_report(*, actor, evaluation_id: int) -> Evaluation:
    from evaluations.services import credit

    with transaction.atomic():
        evaluation = lock(evaluation_id)
        _require_keeper(actor, evaluation)
        already = SelfReport.objects.filter(evaluation=evaluation, submitted_at__isnull=False)
        if already.exists():
            raise EvaluationError(
                _("The self-report is already submitted; do not submit it twice.")
            )
        require_state(
            evaluation,
            EvaluationStatus.COMMISSIONED,
            doing=pgettext("cannot …", "submit the self-report"),
        )
        report = prefill(evaluation)
        gaps = missing(report)
        if gaps:
            raise EvaluationError(
                _("Fill in before submitting: %(missing)s.") % {"missing": punct("、").join(gaps)}
            )
        before = evaluation.status
        evaluation.receive_self_report()
        evaluation.save()
        report.submitted_at = timezone.now()
        report.submitted_by = actor
        report.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
        record(
            actor=actor,
            action="evaluations.self_report_submitted",
            target=evaluation,
            from_state=before,
            to_state=evaluation.status,
            data={"label": "提交自评报告"},
        )
        credit.start_if_ready(actor=actor, evaluation=evaluation)
        link = reverse("evaluations:detail", args=[evaluation.pk])
        notify_later(officers(), f"{evaluation.center.name}提交了自评报告", "", link)
        notify_later(
            evaluator_users(evaluation.institution_id),
            f"{evaluation.center.name}提交了自评报告",
            "",
            link,
        )
    return evaluation


def overdue(today: dt.date | None = None):
    """Commissioned evaluations whose self-report deadline has passed (not submitted)."""
    today = today or timezone.localdate()
    return (
        Evaluation.objects.filter(
            status=EvaluationStatus.COMMISSIONED, self_report_deadline__lt=today
        )
        .select_related("center", "institution")
        .order_by("self_report_deadline", "pk")
    )


def revocable_for_non_submission(evaluation: Evaluation, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        evaluation.status == EvaluationStatus.COMMISSIONED
        and evaluation.self_report_deadline is not None
        and today > evaluation.self_report_deadline + dt.timedelta(days=grace_days())
    )


def send_overdue_reminders(*, today: dt.date | None = None) -> int:
    """Remind the staff (and the province) once of every overdue self-report."""
    sent = 0
    for evaluation in overdue(today).filter(overdue_reminder__isnull=True):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    SelfReportReminder.objects.create(evaluation=evaluation)
            except IntegrityError:
                continue  # another run sent it
            record(
                actor=None,
                action="evaluations.self_report_reminded",
                target=evaluation,
                data={"label": "自评报告逾期提醒"},
            )
            deadline = evaluation.self_report_deadline
            last = deadline + dt.timedelta(days=grace_days())
            notify_later(
                center_staff(evaluation.center),
                "三年绩效评估自评报告已逾期",
                f"截止日期为{deadline:%Y-%m-%d}。{last:%Y-%m-%d}前仍未提交的，"
                "省科技厅可按无正当理由未提交评估材料撤销中心。",
                reverse("evaluations:detail", args=[evaluation.pk]),
            )
            sent += 1
    return sent
