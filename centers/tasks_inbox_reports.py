"""Task providers of annual reports (accounts.inbox): the report a center owes next, for its
staff; submitted reports to review, for the organizing department's reviewers. The same
selectors as the center page and the annual-report list."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.inbox import Task, local_date, rows_provider
from accounts.inbox_topics import topic
from accounts.roles import DEPARTMENT_REVIEWER, user_roles

from . import selectors_center
from .models_reports import AnnualReport
from .selectors_center import CENTER_ACCESS


def report_due(user) -> list[Task]:
    """The next annual report each center of the user's organization owes."""
    if not getattr(user, "organization_id", None):
        return []
    today = timezone.localdate()
    tasks = []
    for center in selectors_center.kept_centers(user).prefetch_related("annual_reports"):
        due = selectors_center.next_due(center, list(center.annual_reports.all()), today)
        if (due["deadline"] - today).days > 120:
            continue  # not yet due: shown on the center page only
        tasks.append(
            Task(
                kind=_("Annual report due"),
                title=f"{center.name} {due['year']}",
                url=reverse("centers:center_detail", args=[center.pk]),
                since=min(today, due["deadline"].replace(month=1, day=1)),
                deadline=due["deadline"],
            )
        )
    return tasks


@rows_provider(
    "submitted_at", reads=[topic(AnnualReport, AnnualReport.Status.SUBMITTED), CENTER_ACCESS]
)
def reports_to_review(user):
    if DEPARTMENT_REVIEWER not in user_roles(user):
        return None
    reports = selectors_center.reports_to_review(user).only("year", "submitted_at", "center__name")

    def task(report) -> Task:
        return Task(
            kind=_("Annual report to review"),
            title=f"{report.center.name} {report.year}",
            url=reverse("centers:report_detail", args=[report.pk]),
            since=local_date(report.submitted_at),
        )

    return reports, task


PROVIDERS = [report_due, reports_to_review]
