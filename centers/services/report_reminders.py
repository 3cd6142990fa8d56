"""Annual-report deadline reminders (run by the ``centers.tasks.remind_waiting`` beat task).

For every center that is not revoked and owes the report on a year (reports are due from the
designation year on, each by ``CENTERS_ANNUAL_REPORT_DEADLINE`` of the next year — the same
years the My center page's "next due" shows, ``selectors_center``) and has not submitted it
(missing, draft or returned):

* ``upcoming``: once the deadline is at most ``CENTERS_REPORT_REMIND_DAYS_BEFORE`` calendar
  days away (default 30), the center's staff are reminded, once;
* ``overdue``: once the deadline has passed, the center's staff and its organizing
  department's reviewers get an overdue notice, once.

A ``ReportDeadlineReminder`` row per (center, year, kind) is written in the same transaction
as the message; its unique constraint refuses a second (two workers, or a second run).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from centers.models import Center, CenterStatus
from centers.models_reports import (
    DONE_STATUSES,
    AnnualReport,
    ReportDeadlineReminder,
    deadline_for,
)
from centers.selectors_center import due_years, next_due
from centers.services.common import center_staff, department_reviewers
from documents.formatting import cn_date
from notifications.services import notify

DEFAULT_DAYS_BEFORE = 30
Kind = ReportDeadlineReminder.Kind


def remind_days_before() -> int:
    return int(getattr(settings, "CENTERS_REPORT_REMIND_DAYS_BEFORE", DEFAULT_DAYS_BEFORE))


def owed_years(center: Center, reports, today: dt.date) -> list[tuple[int, dt.date]]:
    """(year, deadline) of every report due by now or next and not submitted, oldest first."""
    done = {r.year for r in reports if r.status in DONE_STATUSES}
    years = set(due_years(center, today))
    years.add(next_due(center, reports, today)["year"])
    return [(y, deadline_for(y)) for y in sorted(years) if y not in done]


def _link(center: Center, report: AnnualReport | None) -> str:
    if report is not None:
        return reverse("centers:report_detail", args=[report.pk])
    return reverse("centers:center_detail", args=[center.pk])


def _message(center, year, deadline, kind, report, today):
    date = cn_date(deadline)
    state = "尚未开始填报" if report is None else f"当前状态：{report.get_status_display()}"
    if kind == Kind.UPCOMING:
        subject = f"年度报告提交提醒：{center.name}{year}年度报告"
        body = (
            f"{center.name}的{year}年度报告应于{date}前提交（{state}），"
            f"距截止还有{(deadline - today).days}天，请按时填报并提交。"
        )
    else:
        subject = f"年度报告逾期通知：{center.name}{year}年度报告"
        body = f"{center.name}的{year}年度报告应于{date}前提交，已逾期未提交（{state}）。"
    return subject, body


def _send(center, year, deadline, kind, report, recipients, today) -> bool:
    subject, body = _message(center, year, deadline, kind, report, today)
    try:
        with transaction.atomic():
            ReportDeadlineReminder.objects.create(
                center=center, year=year, kind=kind, deadline=deadline
            )
            notify(recipients=recipients, subject=subject, body=body, link=_link(center, report))
    except IntegrityError:
        return False  # sent already for this center, year and kind
    return True


def send_report_deadline_reminders(*, now: dt.datetime | None = None) -> dict:
    """Send what is due today; returns how many reminders of each kind were sent."""
    today = timezone.localdate(now or timezone.now())
    days_before = remind_days_before()
    sent = {Kind.UPCOMING.value: 0, Kind.OVERDUE.value: 0}
    centers = (
        Center.objects.exclude(status=CenterStatus.REVOKED)
        .filter(designated_on__lte=today)
        .select_related("department")
        .prefetch_related(
            Prefetch("annual_reports", queryset=AnnualReport.objects.order_by("year"))
        )
        .order_by("pk")
    )
    for center in centers:
        reports = list(center.annual_reports.all())
        by_year = {r.year: r for r in reports}
        for year, deadline in owed_years(center, reports, today):
            if deadline < today:
                kind = Kind.OVERDUE
                recipients = center_staff(center) + department_reviewers(center)
            elif (deadline - today).days <= days_before:
                kind, recipients = Kind.UPCOMING, center_staff(center)
            else:
                continue
            if _send(center, year, deadline, kind, by_year.get(year), recipients, today):
                sent[kind.value] += 1
    return sent
