"""Who may read an organization's page (DESIGN §1, §3: object permissions, never a global one).

An organization's data (credit code, contacts, member usernames, registration state) is for:

- its own members (the organization's group holds ``view_organization`` on it);
- the department that verifies it: the S&T bureau of its registered city, or the
  department recorded as ``verifying_department`` (the provincial S&T department
  outside Shanxi) — that department's group holds ``view_organization`` on it;
- the departments its plans are routed to (their group holds ``review_application`` on
  one of its plans, granted and revoked by ``applications.permissions``, which adds this
  reader at start-up);
- the provincial S&T department (its group holds ``view_organization`` on every
  organization).

A third-party evaluation institution is commissioned by the province, so no city bureau
reads it. Grants are kept in step by ``sync_organization_access``, which runs after every
save of an organization (so registrations, changes, the admin and the demo all follow the
same rule) and removes the grant of a department that no longer verifies it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import Department, Organization
from .permissions import grant, objects_for

VIEW_ORGANIZATION = "accounts.view_organization"


def verifying_department_of(org: Organization) -> Department | None:
    """The department that verifies ``org``: the one recorded, else the default for its
    registered place; the province for third-party evaluators."""
    from .services.registration import verifying_department_for

    if org.org_type == Organization.Type.THIRD_PARTY_EVALUATOR:
        return Department.objects.filter(kind=Department.Kind.PROVINCE_ST).first()
    if org.verifying_department_id:
        return org.verifying_department
    try:
        return verifying_department_for(province=org.registered_province, city=org.registered_city)
    except Department.DoesNotExist:
        return None


def sync_organization_access(org: Organization) -> None:
    """Grant ``view_organization`` on ``org`` to its own group, its verifying department and
    the provincial S&T department; take it from any other department. Idempotent."""
    if org.pk is None or org.group_id is None:
        return
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission

    wanted = {org.group_id}
    for dept in (
        verifying_department_of(org),
        Department.objects.filter(kind=Department.Kind.PROVINCE_ST).first(),
    ):
        if dept is not None and dept.group_id:
            wanted.add(dept.group_id)
    existing = GroupObjectPermission.objects.filter(
        content_type=ContentType.objects.get_for_model(Organization),
        object_pk=str(org.pk),
        permission__codename="view_organization",
    )
    stale = existing.filter(group__name__startswith="dept:").exclude(group_id__in=wanted)
    stale.delete()
    held = set(existing.values_list("group_id", flat=True))
    from django.contrib.auth.models import Group

    for group in Group.objects.filter(pk__in=wanted - held):
        grant(VIEW_ORGANIZATION, group, org)


def on_organization_saved(sender, instance, raw=False, **kwargs):
    """post_save of Organization: keep the object permissions in step (not for fixtures)."""
    if not raw:
        sync_organization_access(instance)


# Apps above accounts add readers at start-up (AppConfig.ready), e.g. applications: "the
# departments a plan of the organization is routed to". A reader takes a user and returns
# a queryset of organization ids (``values("organization_id")``-like) or None.
_readers: list = []


def add_reader(reader) -> None:
    if reader not in _readers:
        _readers.append(reader)


def organizations_visible_to(user, queryset: QuerySet | None = None) -> QuerySet:
    """The organizations whose page ``user`` may read (see the module docstring).

    Only object permissions count: a global ``view_organization`` (administrators hold it
    for the admin site) never opens an organization's page here.
    """
    qs = queryset if queryset is not None else Organization.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    granted = objects_for(user, VIEW_ORGANIZATION, Organization.objects.all())
    visible = Q(pk__in=granted.values("pk"))
    if user.organization_id:
        visible |= Q(pk=user.organization_id)
    for reader in _readers:
        ids = reader(user)
        if ids is not None:
            visible |= Q(pk__in=ids)
    return qs.filter(visible)


def organization_for(user, pk: int, queryset: QuerySet | None = None) -> Organization:
    """One organization the user may read; 404 otherwise (the same answer as a missing one)."""
    org = organizations_visible_to(user, queryset).filter(pk=pk).first()
    if org is None:
        raise Http404(_("No such object, or you may not see it."))
    return org
