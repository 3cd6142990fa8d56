"""Small permission helpers used by every app.

Object permissions (django-guardian) go to the GROUP of an organization or a
department, so that new staff of that unit inherit the access::

    from accounts.permissions import grant, revoke
    grant("view_application", application.organization, application)
    grant("applications.review_application", department, application)

Views guard roles with ``@require_role(...)`` or ``RoleRequiredMixin`` and
fetch objects through ``get_object_for(...)`` (404 when the object is not theirs).
"""

from collections.abc import Iterable
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from .roles import ROLE_LABELS, user_roles


def _holder(group_or_user):
    """Accept a User, a Group, or a unit (Organization/Department) that owns a group."""
    if isinstance(group_or_user, Group | get_user_model()):
        return group_or_user
    group = getattr(group_or_user, "group", None)
    if isinstance(group, Group):
        return group
    raise TypeError(
        f"grant/revoke need a user, a group, or an organization/department; got {group_or_user!r}"
    )


def _perm_for(perm: str, obj: Model | None) -> str:
    if obj is None and "." not in perm:
        raise ValueError("A global permission must be written 'app_label.codename'.")
    return perm


def grant(perm: str, group_or_user, obj: Model | None = None):
    """Give ``perm`` on ``obj`` (or globally when obj is None) to a user, group or unit."""
    return assign_perm(_perm_for(perm, obj), _holder(group_or_user), obj)


def revoke(perm: str, group_or_user, obj: Model | None = None) -> None:
    """Take ``perm`` on ``obj`` (or the global one) away from a user, group or unit."""
    holder = _holder(group_or_user)
    remove_perm(_perm_for(perm, obj), holder, obj)
    # Django caches global permissions on the user instance; forget them.
    for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        holder.__dict__.pop(attr, None)


def objects_for(user, perm: str, queryset: QuerySet) -> QuerySet:
    """The objects of ``queryset`` on which ``user`` holds ``perm`` (via user or groups).

    Only object permissions count: a global (model-level) permission never opens every
    object (a role that sees everything says so in its own selector, by role).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    granted = get_objects_for_user(
        user, perm, klass=queryset.model, accept_global_perms=False, use_groups=True
    )
    return restrict(queryset, granted)


def holds_any(user, perm: str, model: type[Model]) -> bool:
    """Whether ``objects_for(user, perm, model.objects.all())`` has a row, in one short query
    over the permission tables (the navigation asks it on every page).

    The same rule: object permissions of the user or their groups only, superusers hold every
    object. Models with direct-foreign-key permission tables only (their rows cannot outlive
    the object); generic ones ask ``objects_for``.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:  # guardian's with_superuser, as in objects_for
        return model.objects.exists()
    user_model = get_user_obj_perms_model(model)
    group_model = get_group_obj_perms_model(model)
    if user_model.objects.is_generic() or group_model.objects.is_generic():
        return objects_for(user, perm, model.objects.all()).exists()
    app_label, _dot, codename = perm.rpartition(".")
    content_type = ContentType.objects.get_for_model(model)
    if app_label and app_label != content_type.app_label:
        raise ValueError(f"{perm!r} is not a permission of {model.__name__}.")
    by_user = user_model.objects.filter(permission=OuterRef("pk"), user=user)
    by_group = group_model.objects.filter(permission=OuterRef("pk"), group__user=user)
    return (
        Permission.objects.filter(content_type=content_type, codename=codename)
        .filter(Exists(by_user) | Exists(by_group))
        .exists()
    )


def restrict(queryset: QuerySet, granted: QuerySet) -> QuerySet:
    """``queryset`` narrowed to the rows of ``granted`` (a guardian result over the model).

    Guardian given a queryset repeats it inside both permission subqueries
    (``content_object_id IN (SELECT ... )``), which the paginator then runs twice; given the
    model class it filters the permission tables alone, and the two conditions are ANDed here.
    """
    if granted.query.annotations or queryset.query.distinct or queryset.query.is_sliced:
        return queryset.filter(pk__in=granted.values("pk"))
    return queryset & granted


def get_object_for(user, perm: str, queryset: QuerySet, **lookup):
    """Fetch and authorize together: the object, or Http404 when it is missing or not theirs."""
    obj = objects_for(user, perm, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404(_("No such object, or you may not see it."))
    return obj


def has_any_role(user, roles: Iterable[str]) -> bool:
    return bool(user_roles(user) & set(roles))


def _refuse(request, roles):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    names = "、".join(str(ROLE_LABELS.get(r, r)) for r in roles)
    raise PermissionDenied(_("This page is for: %(roles)s.") % {"roles": names})


def require_role(*roles: str):
    """View decorator: anonymous users go to the login page; users without any of ``roles`` get 403."""
    if not roles:
        raise ValueError("require_role() needs at least one role.")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated or not has_any_role(request.user, roles):
                return _refuse(request, roles)
            return view(request, *args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


class RoleRequiredMixin:
    """Class-based views: set ``required_roles = (APPLICANT, ...)``."""

    required_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not self.required_roles:
            raise ValueError(f"{type(self).__name__}.required_roles is empty.")
        if not request.user.is_authenticated or not has_any_role(request.user, self.required_roles):
            return _refuse(request, self.required_roles)
        return super().dispatch(request, *args, **kwargs)
