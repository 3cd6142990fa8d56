"""Object permissions on designated centers, granted to unit groups (DESIGN §3).

- The lead organization's group sees and keeps its center (``view_center``, ``change_center``):
  the profile, annual reports, change requests.
- The organizing department's group sees its centers (``view_center``); its reviewers decide
  the annual reports of the centers they see.
- Provincial officers see every center by role (selectors say so), not by a global permission.

Idempotent: guardian's ``assign_perm`` is a get-or-create.
"""

from guardian.shortcuts import assign_perm

ORGANIZATION_PERMS = ("centers.view_center", "centers.change_center")
DEPARTMENT_PERMS = ("centers.view_center",)


def grant_center(center) -> None:
    org_group = center.lead_organization.group
    if org_group is not None:
        for perm in ORGANIZATION_PERMS:
            assign_perm(perm, org_group, center)
    dept_group = center.department.group
    if dept_group is not None:
        for perm in DEPARTMENT_PERMS:
            assign_perm(perm, dept_group, center)
