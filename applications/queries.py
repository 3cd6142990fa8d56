"""Applicant-side reads (the shared selectors live in applications.selectors)."""

from django.utils.translation import gettext_lazy as _

from .models import ApplicationVersion, Status
from .selectors import applications_visible_to

NEXT_STEP = {
    Status.DRAFT: _("Complete and submit the plan"),
    Status.RETURNED: _("Revise the plan as the return asks and resubmit it"),
    Status.PROVINCE_RECHECK: _("Waiting for the provincial re-check"),
    Status.EXPERT_REVIEW: _("Under expert review; wait for the result"),
    Status.IMPROVING: _("Improve the plan as the panel's opinion asks and submit it"),
    Status.AWAITING_MEETING: _("Waiting for the office meeting"),
    Status.PUBLICITY: _("In publicity; wait for the end of the publicity period"),
    Status.DESIGNATED: _("Designated a Shanxi provincial technology innovation center"),
    Status.REJECTED: _("The application was not approved"),
    Status.WITHDRAWN: _("Withdrawn; the application's record is kept"),
}


def next_step(app) -> str:
    if app.status == Status.DEPT_REVIEW:
        return _("Waiting for the review by %(department)s") % {"department": app.department.name}
    return NEXT_STEP.get(app.status, "")


def applications_of_applicant(*, user):
    """The plans of the user's organization (through object permissions), for the home list."""
    if not user.is_authenticated or user.organization_id is None:
        return applications_visible_to(user=user).none()
    return (
        applications_visible_to(user=user)
        .filter(organization_id=user.organization_id)
        .select_related("organization", "department", "industry_field")
        .order_by("-created_at", "-pk")
    )


# what a row of the applicant's home shows (not the plan's text, nor the organization: the
# user's own, loaded with the request's user)
HOME_FIELDS = (
    "name",
    "number",
    "kind",
    "status",
    "updated_at",
    "last_reason",
    "department__name",
    "industry_field__name",
    "industry_field__name_en",
)


def home_rows(*, user):
    """The applicant home's plans, newest first, with what each row shows."""
    return (
        applications_of_applicant(user=user)
        .select_related(None)
        .select_related("department", "industry_field")
        .only(*HOME_FIELDS)
    )


def versions_of(app):
    return (
        ApplicationVersion.objects.filter(application=app)
        .select_related("created_by")
        .order_by("number")
    )


__all__ = ["applications_of_applicant", "home_rows", "next_step", "versions_of"]
