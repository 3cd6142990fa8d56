"""Reads of designated centers for their staff, departments and the province: which centers
a user sees, the profile, annual reports, what is due and what is overdue."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from accounts.inbox_topics import topic
from accounts.permissions import holds_any, objects_for
from accounts.roles import ADMINISTRATOR, PROVINCIAL_OFFICER

from .models import Center
from .models_profile import CenterGroupObjectPermission, CenterUserObjectPermission
from .models_reports import DONE_STATUSES, AnnualReport, deadline_for


def _base():
    return Center.objects.select_related("lead_organization", "department", "industry_field")


def sees_all(user) -> bool:
    return user.has_role(PROVINCIAL_OFFICER) or user.has_role(ADMINISTRATOR)


def visible_centers(user):
    """Centers the user may see: the province all; others by object permission."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Center.objects.none()
    if sees_all(user):
        return _base()
    return objects_for(user, "centers.view_center", _base())


def kept_centers(user):
    """Centers the user's organization leads (``change_center``)."""
    return objects_for(user, "centers.change_center", _base())


# what visible_centers and kept_centers read: the centers (a task shows the name) and their
# object permissions (My tasks' topics, accounts.inbox_topics)
CENTER_ACCESS = (
    *topic(Center),
    *topic(CenterUserObjectPermission),
    *topic(CenterGroupObjectPermission),
)


# the navigation's "My center": its per-user cache entry (accounts.inbox.per_user)
KEEPS_ANY_ENTRY = "keeps_center"


def keeps_any(user) -> bool:
    """Whether :func:`kept_centers` has a row, without loading one."""
    return holds_any(user, "centers.change_center", Center)


def center_for(user, pk: int) -> Center:
    center = visible_centers(user).filter(pk=pk).first()
    if center is None:
        raise Http404("No such center.")
    return center


def report_for(user, pk: int) -> AnnualReport:
    report = (
        AnnualReport.objects.select_related("center__department", "center__lead_organization")
        .filter(pk=pk, center__in=visible_centers(user).values("pk"))
        .first()
    )
    if report is None:
        raise Http404("No such report.")
    return report


def due_years(center: Center, today: dt.date) -> list[int]:
    """Years whose report is due by now or next: from the designation year to last year."""
    return list(range(center.designated_on.year, today.year))


def next_due(center: Center, reports, today: dt.date | None = None) -> dict:
    """The next report the center owes: the oldest due year not submitted, else this year's."""
    today = today or timezone.localdate()
    done = {r.year for r in reports if r.status in DONE_STATUSES}
    for year in due_years(center, today):
        if year not in done:
            deadline = deadline_for(year)
            return {"year": year, "deadline": deadline, "overdue": deadline < today}
    year = max(today.year, center.designated_on.year)
    if year in done:
        year += 1
    return {"year": year, "deadline": deadline_for(year), "overdue": False}


def overdue(user, *, today: dt.date | None = None) -> list[dict]:
    """(center, year, report) for every report past its deadline and not submitted.

    Two queries whatever the number of centers: the centers, then their reports."""
    today = today or timezone.localdate()
    centers = visible_centers(user).prefetch_related(
        Prefetch("annual_reports", queryset=AnnualReport.objects.order_by("year"))
    )
    rows = []
    for center in centers.order_by("department__name", "number"):
        by_year = {r.year: r for r in center.annual_reports.all()}
        for year in due_years(center, today):
            report = by_year.get(year)
            if deadline_for(year) < today and (
                report is None or report.status not in DONE_STATUSES
            ):
                rows.append(
                    {
                        "center": center,
                        "year": year,
                        "deadline": deadline_for(year),
                        "report": report,
                    }
                )
    return rows


def reports_to_review(user):
    """Submitted reports of the centers the user's department sees."""
    return (
        AnnualReport.objects.filter(
            status=AnnualReport.Status.SUBMITTED, center__in=visible_centers(user).values("pk")
        )
        .select_related("center")
        .order_by("submitted_at", "pk")
    )
