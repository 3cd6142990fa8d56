"""Reads of change requests (Art. 15): who sees which, and the public history of a center.

- the staff of a center's lead organization (``change_center`` on it): its requests, drafts
  included;
- a department reviewer (``view_center``): the submitted requests of the centers it organizes;
- provincial officers (and administrators): every submitted request.
Everyone else sees none (views answer 404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.roles import APPLICANT, DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER

from .models import Center
from .models_changes import CenterChange, CenterChangeRequest, ChangeStatus
from .selectors_center import kept_centers, sees_all, visible_centers

WAITING = {
    DEPARTMENT_REVIEWER: [ChangeStatus.DEPT_REVIEW],
    PROVINCIAL_OFFICER: [ChangeStatus.PROVINCE_REVIEW],
}


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def requests_visible_to(user) -> QuerySet[CenterChangeRequest]:
    """By the object permissions on the center (centers.permissions): ``change_center`` (the
    lead organization) sees drafts too; ``view_center`` (its department) the submitted ones;
    the province every submitted one, by role."""
    qs = CenterChangeRequest.objects.select_related(
        "center__lead_organization", "center__department", "created_by"
    )
    if not _active(user):
        return qs.none()
    submitted = ~Q(status=ChangeStatus.DRAFT)
    if sees_all(user):
        return qs.filter(submitted)
    unit = Q(pk__in=[])
    if user.has_role(APPLICANT):
        unit |= Q(center__in=kept_centers(user).values("pk"))
    if user.has_role(DEPARTMENT_REVIEWER):
        unit |= Q(submitted, center__in=visible_centers(user).values("pk"))
    return qs.filter(unit)


def request_for(user, pk: int) -> CenterChangeRequest:
    request = (
        requests_visible_to(user)
        .select_related("dept_decided_by", "province_decided_by", "approval_document")
        .prefetch_related("attachments")
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No such change request.")
    return request


def centers_visible_to(user) -> QuerySet[Center]:
    """Centers whose (non-public) change pages the user may open."""
    return visible_centers(user)


def center_for(user, pk: int) -> Center:
    center = centers_visible_to(user).filter(pk=pk).first()
    if center is None:
        raise Http404("No such center.")
    return center


def own_centers(user) -> QuerySet[Center]:
    """The centers whose staff the user is (they may file requests)."""
    if not _active(user) or not user.has_role(APPLICANT):
        return Center.objects.none()
    return kept_centers(user)


def queue_for(user, *, status: str = "") -> QuerySet[CenterChangeRequest]:
    """The list page: what waits for the user's desk by default, or one status, or all."""
    return filter_status(requests_visible_to(user), user=user, status=status)


def filter_status(qs, *, user, status: str = ""):
    """One status, or all (``"all"``), or by default what waits for the user's desk."""
    if status == "all":
        return qs
    if status:
        return qs.filter(status=status)
    for role, statuses in WAITING.items():
        if user.has_role(role):
            return qs.filter(status__in=statuses)
    return qs


def applied_changes(center: Center) -> QuerySet[CenterChange]:
    """The applied (approved) changes of a center, oldest first: the only public ones."""
    return CenterChange.objects.filter(center=center).order_by("applied_on", "pk")
