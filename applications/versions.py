"""Frozen versions of a plan: numbering, freezing and comparing (DESIGN §2.1).

``on_submitted(app, actor, transition)`` is what ``applications.hooks.after_transition``
calls for ``submit``, ``resubmit`` and ``submit_improved``: it assigns the
application number at the first submission, stamps ``submitted_at`` and
freezes a version. It is idempotent per transition call (``app._frozen_version``).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Application, ApplicationVersion, Attachment, NumberSequence

SUBMIT_TRANSITIONS = {
    "submit": ApplicationVersion.Reason.SUBMIT,
    "resubmit": ApplicationVersion.Reason.RESUBMIT,
    "submit_improved": ApplicationVersion.Reason.IMPROVED,
}
NUMBER_PREFIX = "SQ"


def next_number(year: int) -> str:
    """The next application number of the year, e.g. SQ2026-0001 (race-safe: row lock)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                NumberSequence.objects.get_or_create(year=year)
        except IntegrityError:  # created concurrently
            pass
        seq = NumberSequence.objects.select_for_update().get(year=year)
        seq.last += 1
        seq.save(update_fields=["last"])
        return f"{NUMBER_PREFIX}{year}-{seq.last:04d}"


def snapshot(application: Application) -> dict:
    """The version ``data`` of an application as it is now."""
    org = application.organization
    field = application.industry_field
    return {
        "name": application.name,
        "full_name": application.full_name,
        "kind": application.kind,
        "industry_field": {"code": field.code, "name": field.name} if field else None,
        "strategic_areas": [a.name for a in application.strategic_areas.order_by("order", "pk")],
        "organization": {
            "name": org.name,
            "credit_code": org.credit_code,
            "org_type": org.org_type,
            "city": org.registered_city.name if org.registered_city_id else "",
        },
        "department": application.department.name,
        "plan": application.plan or {},
    }


def active_attachments(application: Application):
    return Attachment.objects.filter(application=application, removed_at__isnull=True).order_by(
        "kind", "uploaded_at", "pk"
    )


def attachments_snapshot(application: Application) -> list[dict]:
    return [
        {"id": a.pk, "kind": a.kind, "name": a.name, "size": a.size, "sha256": a.sha256}
        for a in active_attachments(application)
    ]


def freeze_version(application: Application, *, actor, reason: str) -> ApplicationVersion:
    """Create the next immutable version of ``application`` (data and attachments as they are)."""
    with transaction.atomic():
        last = (
            ApplicationVersion.objects.filter(application=application)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        return ApplicationVersion.objects.create(
            application=application,
            number=(last or 0) + 1,
            data=snapshot(application),
            attachments=attachments_snapshot(application),
            reason=reason,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )


def grant_department_access(application: Application) -> None:
    """The organizing department's group sees and reviews the plan routed to it (idempotent)."""
    from guardian.shortcuts import assign_perm

    group = application.department.group
    if group is not None:
        assign_perm("applications.view_application", group, application)
        assign_perm("applications.review_application", group, application)


def on_submitted(app: Application, actor, transition: str) -> ApplicationVersion | None:
    """Numbering + freezing after submit / resubmit / submit_improved (call inside the transaction)."""
    reason = SUBMIT_TRANSITIONS.get(transition)
    if reason is None:
        return None
    frozen = getattr(app, "_frozen_version", None)
    if frozen is not None:
        return frozen
    now = timezone.now()
    updates = {}
    if not app.number:
        updates["number"] = next_number(timezone.localtime(now).year)
    if transition in ("submit", "resubmit"):
        updates["submitted_at"] = now
    if updates:
        Application.objects.filter(pk=app.pk).update(**updates)
        for key, value in updates.items():
            setattr(app, key, value)
    grant_department_access(app)
    app._frozen_version = freeze_version(app, actor=actor, reason=reason)
    return app._frozen_version
