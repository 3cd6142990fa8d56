"""Annual reports (年度报告): drafts by the center's staff, submit, the department's review.

Every transition locks the report row (select_for_update), checks the state it was shown in
(a concurrent decision gets a clear message, not a second transition), writes an audit event
in the same transaction and notifies after the commit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import objects_for
from accounts.roles import APPLICANT, DEPARTMENT_REVIEWER, group_name
from audit.services import record
from centers.models import Center
from centers.models_reports import (
    FIGURE_NAMES,
    REPORT_FIGURES,
    AnnualReport,
    AnnualReportFile,
    ReportStatus,
)
from centers.services.common import CentersError, check_file
from centers.services.profile import can_keep
from documents.languages import punct

MAX_FILES = 10


class ReportError(CentersError):
    """A refused report action (Chinese messages for the user)."""


def allowed_years(center: Center, today: dt.date | None = None) -> list[int]:
    """Years a report may be written for, newest first.

    From the year before designation (the base year the plan's figures describe) to the
    current year; reports are *due* from the designation year on (``selectors``)."""
    today = today or timezone.localdate()
    return list(range(today.year, center.designated_on.year - 2, -1))


def _users(role, **filters):
    return list(
        get_user_model().objects.filter(groups__name=group_name(role), is_active=True, **filters)
    )


def _notify_later(recipients, subject, body, link):
    from notifications.services import notify

    transaction.on_commit(
        lambda: notify(recipients=recipients, subject=subject, body=body, link=link)
    )


def _lock(report_id) -> AnnualReport:
    report = (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("center")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise ReportError(_("This annual report does not exist."))
    return report


def _require_keeper(actor, center):
    if not can_keep(actor, center):
        raise PermissionDenied(
            _("Only the staff of the center's lead organization can fill in the annual report.")
        )


def can_review(user, center: Center) -> bool:
    """A reviewer of the organizing department that sees this center."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(DEPARTMENT_REVIEWER):
        return False
    if user.department_id != center.department_id:
        return False
    return objects_for(user, "centers.view_center", Center.objects.filter(pk=center.pk)).exists()


def create_report(*, actor, center_id: int, year: int) -> AnnualReport:
    """Start the report on ``year`` (or return the one already started)."""
    with transaction.atomic():
        center = Center.objects.select_for_update().filter(pk=center_id).first()
        if center is None:
            raise ReportError(_("This center does not exist."))
        _require_keeper(actor, center)
        if year not in allowed_years(center):
            raise ReportError(_("The report of %(year)s cannot be filled in.") % {"year": year})
        existing = AnnualReport.objects.filter(center=center, year=year).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                report = AnnualReport.objects.create(center=center, year=year, created_by=actor)
        except IntegrityError:  # the other tab was faster
            return AnnualReport.objects.get(center=center, year=year)
        record(
            actor=actor,
            action="centers.report_created",
            target=report,
            to_state=report.status,
            data={"label": f"开始填报{year}年度报告"},
        )
    return report


def _plain(value):
    return str(value) if value is not None else None


def _same(before, after) -> bool:
    """Equal values: 1234.5 typed again over a stored 1234.50 is no change."""
    if before is None or after is None:
        return before is None and after is None
    if isinstance(before, str) or isinstance(after, str):
        return str(before) == str(after)
    return Decimal(str(before)) == Decimal(str(after))


def save_report(*, actor, report_id: int, data: dict, uploads=()) -> bool:
    """Save a draft (or a returned report); returns whether anything changed."""
    with transaction.atomic():
        report = _lock(report_id)
        _require_keeper(actor, report.center)
        if not report.is_editable:
            raise ReportError(_("This annual report is submitted and can no longer be changed."))
        uploads = [u for u in uploads if u]
        if report.files.count() + len(uploads) > MAX_FILES:
            raise ReportError(
                _("At most %(count)s files per annual report.") % {"count": MAX_FILES}
            )
        for upload in uploads:
            check_file(upload, _("Attachment"), ReportError)
        old, new = {}, {}
        for name in ("summary", *FIGURE_NAMES):
            if name not in data:
                continue
            before, after = getattr(report, name), data[name]
            if name == "summary":
                after = after or ""
            if not _same(before, after):
                old[name], new[name] = _plain(before), _plain(after)
                setattr(report, name, after)
        if not old and not uploads:
            return False
        if old:
            report.save()
        for upload in uploads:
            AnnualReportFile.objects.create(
                report=report,
                file=upload,
                name=upload.name[:200],
                size=upload.size,
                uploaded_by=actor,
            )
        record(
            actor=actor,
            action="centers.report_saved",
            target=report,
            data={
                "label": "保存年度报告",
                "old": old,
                "new": new,
                "files": [u.name for u in uploads],
            },
        )
    return True


def missing(report: AnnualReport) -> list[str]:
    """What a report still lacks for submission (in the language of the request)."""
    out = [] if (report.summary or "").strip() else [_("the summary of the year's work")]
    out += [str(label) for name, label, *_rest in REPORT_FIGURES if getattr(report, name) is None]
    return out


def submit_report(*, actor, report_id: int) -> AnnualReport:
    with transaction.atomic():
        report = _lock(report_id)
        _require_keeper(actor, report.center)
        if not report.is_editable:
            raise ReportError(_("This annual report is already submitted; do not submit it twice."))
        gaps = missing(report)
        if gaps:
            raise ReportError(
                [_("Fill in before submitting: %(missing)s.") % {"missing": punct("、").join(gaps)}]
            )
        before = report.status
        report.submit()
        report.submitted_at = timezone.now()
        report.submitted_by = actor
        report.decision_reason = ""
        report.save()
        record(
            actor=actor,
            action="centers.report_submitted",
            target=report,
            from_state=before,
            to_state=report.status,
            data={"label": f"提交{report.year}年度报告"},
        )
        _notify_later(
            _users(DEPARTMENT_REVIEWER, department_id=report.center.department_id),
            f"{report.center.name}提交了{report.year}年度报告",
            "请审核该年度报告。",
            reverse("centers:report_detail", args=[report.pk]),
        )
    return report


DECISIONS = {"accept": "通过", "return": "退回修改"}


def decide_report(*, actor, report_id: int, decision: str, reason: str = "") -> AnnualReport:
    """The organizing department accepts the report or returns it with reasons."""
    if decision not in DECISIONS:
        raise ReportError(_("Choose the conclusion of the review."))
    reason = (reason or "").strip()
    if decision == "return" and not reason:
        raise ReportError(_("To return the report for changes, give the reasons."))
    with transaction.atomic():
        report = _lock(report_id)
        if not can_review(actor, report.center):
            raise PermissionDenied(
                _(
                    "Only the reviewers of the center's organizing department can review its annual report."
                )
            )
        if report.status != ReportStatus.SUBMITTED:
            raise ReportError(
                _(
                    "This annual report has been dealt with (now: %(status)s); reload the page to "
                    "see the latest result."
                )
                % {"status": report.get_status_display()}
            )
        before = report.status
        if decision == "accept":
            report.accept()
        else:
            report.send_back()
        report.decided_at = timezone.now()
        report.decided_by = actor
        report.decision_reason = reason
        report.save()
        record(
            actor=actor,
            action=f"centers.report_{'accepted' if decision == 'accept' else 'returned'}",
            target=report,
            from_state=before,
            to_state=report.status,
            data={"label": f"年度报告审核：{DECISIONS[decision]}", "reason": reason},
        )
        _notify_later(
            _users(APPLICANT, organization_id=report.center.lead_organization_id),
            f"{report.year}年度报告审核结果：{DECISIONS[decision]}",
            reason,
            reverse("centers:report_detail", args=[report.pk]),
        )
    return report
