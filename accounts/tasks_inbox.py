"""Task providers of accounts: organization registrations waiting for verification."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from .inbox import Task, entered_state, local_date
from .models import Organization


def registrations_to_verify(user) -> list[Task]:
    """The pending organizations the verification list shows this user (its department's)."""
    from .registration.verification import pending_for

    orgs = (
        pending_for(user)
        .filter(status=Organization.Status.PENDING)
        .annotate(waiting_since=entered_state(Organization, fallback="created_at"))
        .order_by("pk")
    )
    return [
        Task(
            kind=_("Registration to verify"),
            title=org.name,
            url=reverse("registration_pending_detail", args=[org.pk]),
            since=local_date(org.waiting_since),
        )
        for org in orgs
    ]


PROVIDERS = [registrations_to_verify]
