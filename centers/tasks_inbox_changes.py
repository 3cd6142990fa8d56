"""Task providers of change requests (accounts.inbox, Art. 15): requests to decide, for the
organizing department's reviewers and the provincial officers; returned requests to revise,
for the center's staff. The same selector as the change-request list."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.inbox import Task, local_date
from accounts.roles import APPLICANT, DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, user_roles
from documents.languages import colon

from . import selectors_changes
from .models_changes import ChangeStatus

WAITING_FOR = {
    DEPARTMENT_REVIEWER: ChangeStatus.DEPT_REVIEW,
    PROVINCIAL_OFFICER: ChangeStatus.PROVINCE_REVIEW,
    APPLICANT: ChangeStatus.RETURNED,
}


def changes_waiting(user) -> list[Task]:
    roles = user_roles(user)
    statuses = [status for role, status in WAITING_FOR.items() if role in roles]
    if not statuses:
        return []
    rows = selectors_changes.requests_visible_to(user).filter(status__in=statuses).order_by("pk")
    return [
        Task(
            kind=_("Change request to revise")
            if row.status == ChangeStatus.RETURNED
            else _("Change request to decide"),
            title=f"{row.center.name}{colon()}{row.get_kind_display()}",
            url=reverse("centers:change_detail", args=[row.pk]),
            since=local_date(row.waiting_since or row.updated_at),
        )
        for row in rows
    ]


PROVIDERS = [changes_waiting]
