"""Reads of applications that respect object permissions (DESIGN §3, STYLE: fetch and authorize together)."""

from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from .models import Application


def applications_visible_to(*, user, perm: str = "applications.view_application"):
    """Applications the user may see: object permissions via their groups, or a global permission
    (provincial officers hold ``view_application`` globally)."""
    if not user.is_authenticated:
        return Application.objects.none()
    return get_objects_for_user(
        user, perm, klass=Application.objects.all(), accept_global_perms=True, with_superuser=True
    )


def get_application_for(*, user, pk: int, perm: str = "applications.view_application") -> Application:
    """Fetch one application through the user's permission; 404 when it is not theirs."""
    try:
        return applications_visible_to(user=user, perm=perm).get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("No such application.") from exc
