"""Task providers of applications: plans to review, to re-check and to resubmit."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.inbox import Task, local_date, rows_provider, shown
from accounts.inbox_topics import topic
from accounts.roles import DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, user_roles
from documents.languages import paren

from .models import Application, Status
from .queries import applications_of_applicant
from .selectors import RECHECK_PERM, REVIEW_PERM, applications_visible_to


def _since(qs, *related: str):
    """The plans with when each entered its state (the order of the tasks)."""
    return shown(qs, "name", "status", "state_entered_at", *(f"{r}__name" for r in related))


def _review_tasks(qs, kind: str):
    def task(app) -> Task:
        return Task(
            kind=kind,
            title=f"{app.full_name}{paren(app.organization.name)}",
            url=reverse("applications:review_detail", args=[app.pk]),
            since=local_date(app.state_entered_at),
        )

    return _since(qs, "organization"), task


@rows_provider("state_entered_at", reads=[topic(Application, Status.DEPT_REVIEW)])
def plans_to_review(user):
    """Plans in department review routed to the user's department (object permission)."""
    if DEPARTMENT_REVIEWER not in user_roles(user):
        return None
    qs = applications_visible_to(user=user, perm=REVIEW_PERM).filter(status=Status.DEPT_REVIEW)
    return _review_tasks(qs, _("Plan to review"))


@rows_provider("state_entered_at", reads=[topic(Application, Status.PROVINCE_RECHECK)])
def plans_to_recheck(user):
    """Plans the departments approved, waiting for the provincial re-check (复核)."""
    if PROVINCIAL_OFFICER not in user_roles(user):
        return None
    qs = applications_visible_to(user=user, perm=RECHECK_PERM).filter(
        status=Status.PROVINCE_RECHECK
    )
    return _review_tasks(qs, _("Plan to re-check"))


@rows_provider("state_entered_at", reads=[topic(Application, Status.RETURNED)])
def plans_to_resubmit(user):
    """The applicant's returned plans (the organization's own, as on its plan list)."""
    qs = _since(applications_of_applicant(user=user).filter(status=Status.RETURNED))

    def task(app) -> Task:
        return Task(
            kind=_("Returned plan to revise and resubmit"),
            title=app.full_name,
            url=reverse("applications:detail", args=[app.pk]),
            since=local_date(app.state_entered_at),
        )

    return qs, task


PROVIDERS = [plans_to_review, plans_to_recheck, plans_to_resubmit]
