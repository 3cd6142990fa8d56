"""Roles of DESIGN §1 are Django groups named ``role:<code>`` with model permissions.

The groups are created by a data migration; their model permissions are
(re)synchronised after every migrate, so that apps added later grant their
permissions here, in one table.
"""

from django.utils.translation import gettext_lazy as _

APPLICANT = "applicant"
DEPARTMENT_REVIEWER = "department_reviewer"
PROVINCIAL_OFFICER = "provincial_officer"
EXPERT = "expert"
EVALUATOR = "evaluator"
ADMINISTRATOR = "administrator"

ROLE_LABELS = {
    APPLICANT: _("applicant"),
    DEPARTMENT_REVIEWER: _("department reviewer"),
    PROVINCIAL_OFFICER: _("provincial officer"),
    EXPERT: _("expert"),
    EVALUATOR: _("evaluator"),
    ADMINISTRATOR: _("administrator"),
}

# Model-level (global) permissions per role, "app_label.codename".
# Object-level access is granted with django-guardian to unit groups: nobody reads an
# organization through a global permission (accounts.access); the administrator's
# global ones serve the admin site only.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    APPLICANT: ["applications.add_application"],
    DEPARTMENT_REVIEWER: [],
    PROVINCIAL_OFFICER: [
        "accounts.view_department",
        "applications.view_application",
        "applications.recheck_application",
    ],
    EXPERT: [],
    EVALUATOR: [],
    ADMINISTRATOR: [
        "accounts.view_organization",
        "accounts.change_organization",
        "accounts.add_organization",
        "accounts.view_department",
        "accounts.change_department",
        "accounts.add_department",
        "accounts.view_user",
        "accounts.change_user",
        "accounts.add_user",
        # workdays: enter a year's State Council holiday arrangement (admin).
        "workdays.view_year",
        "workdays.add_year",
        "workdays.change_year",
        "workdays.view_calendarday",
        "workdays.add_calendarday",
        "workdays.change_calendarday",
        "workdays.delete_calendarday",
        # documents: read issued documents; numbering: raise a year's number counter (admin).
        "documents.view_issueddocument",
        "numbering.view_sequence",
        "numbering.add_sequence",
        "numbering.change_sequence",
        # evaluations: configure the indicator templates (frozen once used) and read evaluations.
        "evaluations.view_indicatortemplate",
        "evaluations.add_indicatortemplate",
        "evaluations.change_indicatortemplate",
        "evaluations.view_dimension",
        "evaluations.add_dimension",
        "evaluations.change_dimension",
        "evaluations.delete_dimension",
        "evaluations.view_indicator",
        "evaluations.add_indicator",
        "evaluations.change_indicator",
        "evaluations.delete_indicator",
        "evaluations.view_evaluation",
    ],
}


ROLE_PREFIX = "role:"


def group_name(role: str) -> str:
    return f"{ROLE_PREFIX}{role}"


def roles_of(group_names, *, is_superuser: bool) -> set[str]:
    """The roles held through ``group_names`` (a user's groups' names; other groups are not
    roles), with the administrator's for a superuser."""
    roles = {n[len(ROLE_PREFIX) :] for n in group_names if n.startswith(ROLE_PREFIX)}
    if is_superuser:
        roles.add(ADMINISTRATOR)
    return roles


def user_roles(user) -> set[str]:
    """The user's roles: loaded with the request's user (accounts.backends), else one query,
    kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        names = user.groups.filter(name__startswith=ROLE_PREFIX).values_list("name", flat=True)
        cached = user._role_cache = roles_of(names, is_superuser=user.is_superuser)
    return cached


def require_officer(actor) -> None:
    """The write paths' officer check: only the provincial S&T department may act."""
    from django.core.exceptions import PermissionDenied

    if actor is None or not actor.is_authenticated or not actor.has_role(PROVINCIAL_OFFICER):
        raise PermissionDenied("只有省科技厅工作人员可以执行此操作。")


def grant_role(user, role: str) -> None:
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=group_name(role)))
    user._role_cache = None


def sync_role_permissions(sender=None, **kwargs):
    """post_migrate: give each role group the model permissions listed above."""
    from django.contrib.auth.models import Group, Permission

    # post_migrate fires once per app, after that app's permissions are
    # created; running every time is idempotent and the last run sees all.
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.add(*wanted)
