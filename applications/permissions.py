"""Object permissions on applications, granted to unit groups as a plan is routed (DESIGN §3).

- On creation the lead organization's group may see and edit its plan.
- On submit / resubmit the organizing department's group may see and review it. The
  department keeps both after it decides, so its reviewers can read the history; the
  state graph itself only lets them decide while the plan is in ``dept_review``.
- Provincial officers hold ``view_application`` and ``recheck_application`` globally
  (accounts.roles), experts and evaluators get nothing here.

Every function is idempotent: guardian's ``assign_perm`` is a get-or-create.
"""

from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm, remove_perm

ORGANIZATION_PERMS = ("applications.view_application", "applications.change_application")
DEPARTMENT_PERMS = ("applications.view_application", "applications.review_application")


def _assign(perms, group, app) -> None:
    for perm in perms:
        assign_perm(perm, group, app)


def grant_on_create(app) -> None:
    """The organization's group sees and edits the plan. Safe to call again."""
    group = app.organization.group
    if group is not None:
        _assign(ORGANIZATION_PERMS, group, app)


def grant_on_submit(app) -> None:
    """Route the plan to its organizing department (and make sure the organization keeps access).

    Departments other than ``app.department`` lose review access, should the plan have been
    routed elsewhere before (e.g. the organizing department was changed while it was a draft).
    """
    grant_on_create(app)
    group = app.department.group
    if group is None:
        return
    _assign(DEPARTMENT_PERMS, group, app)
    from .models import ApplicationGroupObjectPermission

    other_ids = (
        ApplicationGroupObjectPermission.objects.filter(
            content_object=app, group__name__startswith="dept:"
        )
        .exclude(group=group)
        .values_list("group_id", flat=True)
    )
    for other in Group.objects.filter(pk__in=list(other_ids)):
        revoke_department(app, other)


def revoke_department(app, group) -> None:
    """Take a department group's access to one plan away (used when a plan is re-routed)."""
    for perm in DEPARTMENT_PERMS:
        remove_perm(perm, group, app)


def organizations_routed_to(user):
    """accounts.access reader: the organizations with a plan routed to the user's department
    (its group holds ``review_application`` on the plan; object permissions only)."""
    if not getattr(user, "department_id", None):
        return None
    from accounts.permissions import objects_for

    from .models import Application

    routed = objects_for(user, "applications.review_application", Application.objects.all())
    return routed.values("organization_id")
