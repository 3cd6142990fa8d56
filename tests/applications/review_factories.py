"""Arrange helpers for the review-side tests: plans submitted through the real write path.

``applications.testing.make_complete_plan`` (applicant side) builds a complete, eligible
draft with its attachments; the submit and every later step go through
``applications.services.application_transition``.
"""

from accounts.models import Organization
from applications.services import application_transition
from applications.testing import make_complete_plan
from tests.factories import OrganizationFactory, applicant, reviewer

LEADS = {"domain": Organization.Type.ENTERPRISE, "comprehensive": Organization.Type.UNIVERSITY}


def draft_plan(*, org=None, department=None, name="碳基新材料", kind="domain", user=None):
    org = org or OrganizationFactory(org_type=LEADS[kind])
    user = user or applicant(org)
    app = make_complete_plan(org, user, name=name, kind=kind, department=department)
    app._test_applicant = user
    return app


def submitted_plan(*, org=None, department=None, name="碳基新材料", kind="domain", user=None):
    """A plan in ``dept_review``: version 1 frozen, routed to its department."""
    app = draft_plan(org=org, department=department, name=name, kind=kind, user=user)
    user = app._test_applicant
    app = application_transition(actor=user, application_id=app.pk, transition="submit")
    app._test_applicant = user
    return app


def plan_in_recheck(*, dept_reviewer=None, **kw):
    """A plan the department approved: now in ``province_recheck``."""
    app = submitted_plan(**kw)
    city = app.department.city.name if app.department.city_id else "太原市"
    return application_transition(
        actor=dept_reviewer or reviewer(city),
        application_id=app.pk,
        transition="approve",
        reason="材料齐全，同意推荐。",
    )
