"""Task providers of change requests (accounts.inbox, Art. 15): requests to decide, for the
organizing department's reviewers and the provincial officers; returned requests to revise,
for the center's staff. The same selector as the change-request list."""

from __future__ import annotations

from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.inbox import Task, local_date, rows_provider
from accounts.inbox_topics import topic
from accounts.roles import APPLICANT, DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, user_roles
from documents.languages import colon

from . import selectors_changes
from .models_changes import CenterChangeRequest, ChangeStatus
from .selectors_center import CENTER_ACCESS

WAITING_FOR = {
    DEPARTMENT_REVIEWER: ChangeStatus.DEPT_REVIEW,
    PROVINCIAL_OFFICER: ChangeStatus.PROVINCE_REVIEW,
    APPLICANT: ChangeStatus.RETURNED,
}


@rows_provider("waiting", reads=[topic(CenterChangeRequest), CENTER_ACCESS])
def changes_waiting(user):
    roles = user_roles(user)
    statuses = [status for role, status in WAITING_FOR.items() if role in roles]
    if not statuses:
        return None
    rows = (
        selectors_changes.requests_visible_to(user)
        .filter(status__in=statuses)
        .select_related(None)
        .select_related("center")
        .only("status", "kind", "waiting_since", "updated_at", "center__name")
        .annotate(waiting=Coalesce("waiting_since", "updated_at"))
    )

    def task(row) -> Task:
        return Task(
            kind=_("Change request to revise")
            if row.status == ChangeStatus.RETURNED
            else _("Change request to decide"),
            title=f"{row.center.name}{colon()}{row.get_kind_display()}",
            url=reverse("centers:change_detail", args=[row.pk]),
            since=local_date(row.waiting),
        )

    return rows, task


PROVIDERS = [changes_waiting]
