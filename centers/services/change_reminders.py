"""Reminders of work waiting too long (the ``centers.tasks.remind_waiting`` beat task).

A change request waiting at the organizing department (or at the province) for more than
``CENTER_REMINDER_WORKING_DAYS`` working days (working-day calendar, default 5) reminds
that desk once per wait: a ``ChangeReminder`` row per (request, status, waiting since) is
written in the same transaction as the message, and its unique constraint refuses a second.

Annual reports submitted and waiting for the organizing department's review remind that
department the same way (one ``ReportReminder`` per report and submission).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from centers.models_changes import CenterChangeRequest, ChangeReminder, ChangeStatus
from centers.services.changes import link
from centers.services.common import department_reviewers, log, officer_users
from notifications.services import notify
from workdays.services import UnknownCalendarYear, working_days_between

DEFAULT_WORKING_DAYS = 5


def reminder_working_days() -> int:
    return int(getattr(settings, "CENTER_REMINDER_WORKING_DAYS", DEFAULT_WORKING_DAYS))


def working_days_waited(since: dt.datetime, today: dt.date) -> int:
    """Whole working days after the day the request arrived, up to and including today."""
    start = timezone.localtime(since).date() + dt.timedelta(days=1)
    return working_days_between(start, today)


def send_change_reminders(
    *, now: dt.datetime | None = None, working_days: int | None = None
) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    limit = reminder_working_days() if working_days is None else working_days
    sent = 0
    waiting = (
        CenterChangeRequest.objects.filter(
            status__in=[ChangeStatus.DEPT_REVIEW, ChangeStatus.PROVINCE_REVIEW],
            waiting_since__isnull=False,
        )
        .select_related("center__department")
        .order_by("pk")
    )
    for request in waiting:
        try:
            days = working_days_waited(request.waiting_since, today)
        except UnknownCalendarYear as exc:
            log.warning("change request %s not checked for a reminder: %s", request.pk, exc)
            continue
        if days <= limit:
            continue
        center = request.center
        if request.status == ChangeStatus.DEPT_REVIEW:
            recipients = department_reviewers(center)
            desk = center.department.name
        else:
            recipients = officer_users()
            desk = settings.ST_DEPARTMENT_NAME
        try:
            with transaction.atomic():
                ChangeReminder.objects.create(
                    request=request, status=request.status, waiting_since=request.waiting_since
                )
                notify(
                    recipients=recipients,
                    subject=f"变更申请待办提醒：{center.name}",
                    body=(
                        f"{center.name}的「{request.get_kind_display()}」申请已在{desk}"
                        f"等待{days}个工作日（超过{limit}个工作日），请尽快办理。"
                    ),
                    link=link(request.pk),
                )
        except IntegrityError:
            continue  # reminded already for this wait
        sent += 1
    return sent


def send_report_reminders(
    *, now: dt.datetime | None = None, working_days: int | None = None
) -> int:
    from centers.models_changes import ReportReminder
    from centers.models_reports import AnnualReport, ReportStatus

    now = now or timezone.now()
    today = timezone.localdate(now)
    limit = reminder_working_days() if working_days is None else working_days
    sent = 0
    waiting = (
        AnnualReport.objects.filter(status=ReportStatus.SUBMITTED, submitted_at__isnull=False)
        .select_related("center__department")
        .order_by("pk")
    )
    for report in waiting:
        try:
            days = working_days_waited(report.submitted_at, today)
        except UnknownCalendarYear as exc:
            log.warning("annual report %s not checked for a reminder: %s", report.pk, exc)
            continue
        if days <= limit:
            continue
        center = report.center
        try:
            with transaction.atomic():
                ReportReminder.objects.create(report=report, waiting_since=report.submitted_at)
                notify(
                    recipients=department_reviewers(center),
                    subject=f"年度报告待审核提醒：{center.name}",
                    body=(
                        f"{center.name}的{report.year}年度报告已提交{days}个工作日"
                        f"（超过{limit}个工作日），请尽快审核。"
                    ),
                    link=reverse("centers:report_detail", args=[report.pk]),
                )
        except IntegrityError:
            continue
        sent += 1
    return sent


def send_waiting_reminders(*, now: dt.datetime | None = None) -> dict:
    return {
        "changes": send_change_reminders(now=now),
        "annual_reports": send_report_reminders(now=now),
    }
