"""What the write path of centers shares: the refusal type, recipients, upload checks."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model

from accounts.roles import APPLICANT, DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, group_name
from applications.models import Application
from centers.files import UploadRefused, check_upload

log = logging.getLogger(__name__)

AWAITING = Application.Status.AWAITING_MEETING
PUBLICITY = Application.Status.PUBLICITY


class CentersError(Exception):
    """A refused action; ``messages`` (English msgids read in the request's language, Chinese
    by default) are shown to the user."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(str(m) for m in self.messages))


class ObjectionRefused(CentersError):
    """An objection that cannot be accepted (不予受理): late, anonymous, wrong plan."""


def active_users(**filters):
    return list(get_user_model().objects.filter(is_active=True, **filters).distinct())


def officer_users():
    return active_users(groups__name=group_name(PROVINCIAL_OFFICER))


def applicant_users(app):
    return active_users(groups__name=group_name(APPLICANT), organization_id=app.organization_id)


def center_staff(center):
    return active_users(
        groups__name=group_name(APPLICANT), organization_id=center.lead_organization_id
    )


def department_reviewers(center):
    return active_users(
        groups__name=group_name(DEPARTMENT_REVIEWER), department_id=center.department_id
    )


def check_file(upload, label, error=None):
    try:
        check_upload(upload, label=label)
    except UploadRefused as exc:
        raise (error or CentersError)(str(exc)) from exc
