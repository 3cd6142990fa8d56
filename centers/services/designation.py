"""Designation (认定): the center number, the center's profile, the designation notice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import require_officer
from applications.models import Application
from applications.services import TransitionError, application_transition
from audit.services import record
from centers import rules
from centers.models import Center, CenterName
from centers.services.common import PUBLICITY, log
from centers.services.profile import initialise_profile
from numbering import services as numbering
from numbering.models import CENTER

CENTER_NUMBER_PREFIX = "SXTIC"


def next_center_number(year: int) -> str:
    """SXTIC-2026-001, sequential per year; the year's counter row is locked (race-safe)."""
    return f"{CENTER_NUMBER_PREFIX}-{year}-{numbering.take(CENTER, year):03d}"


def _last_version(app):
    versions = getattr(app, "versions", None)
    if versions is None:
        return None
    return versions.order_by("-number").first()


def center_profile_from_plan(plan: dict) -> dict:
    """Split the plan sections into the center's columns (see the plan JSON schema)."""
    plan = plan or {}
    return {
        "cobuilders": list((plan.get("cobuilders") or {}).get("items") or []),
        "director": dict(plan.get("director") or {}),
        "targets": list((plan.get("targets") or {}).get("items") or []),
        "profile": {
            key: plan.get(key)
            for key in ("lead", "governance", "investment", "facilities", "team")
            if plan.get(key)
        },
    }


def _issue_notice_on_commit(center_id: int) -> None:
    try:
        from documents.tasks import issue_designation_notice
    except ImportError:  # the documents work is not there yet
        log.warning("documents.tasks.issue_designation_notice missing; no notice for %s", center_id)
        return
    transaction.on_commit(lambda: issue_designation_notice.delay(center_id))


def designate(*, actor=None, application_id: int, now: dt.datetime | None = None) -> Center:
    """Designate a plan whose publicity is over with no open objection; create its Center.

    Idempotent: the application row is locked first, and if a Center already
    exists it is returned unchanged (two task runs, or the task and an
    officer's button at once, designate once). ``actor=None`` is the system.
    """
    if actor is not None:
        require_officer(actor)
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("organization__registered_city", "industry_field", "department")
            .get(pk=application_id)
        )
        existing = Center.objects.filter(application_id=app.pk).first()
        if existing is not None:
            existing.already_designated = True  # the caller may tell its user so
            return existing
        if app.status == PUBLICITY and not rules.publicity_over_no_open_objection(app, now):
            raise TransitionError(
                _(
                    "The publicity period has not ended or an objection is still open; the center cannot be designated yet."
                )
            )
        application_transition(
            actor=actor,
            application_id=app.pk,
            transition="designate",
            expected_status=PUBLICITY,
        )
        version = _last_version(app)
        plan = version.data.get("plan", {}) if version is not None else (app.plan or {})
        today = rules.local_now(now).date()
        parts = center_profile_from_plan(plan)
        org = app.organization
        center = Center.objects.create(
            application=app,
            number=next_center_number(today.year),
            name=app.full_name,
            kind=app.kind,
            industry_field=app.industry_field,
            lead_organization=org,
            department=app.department,
            city=org.registered_city,
            plan_version=version.number if version is not None else None,
            designated_on=today,
            **parts,
        )
        center.strategic_areas.set(app.strategic_areas.all())
        CenterName.objects.create(center=center, name=center.name, valid_from=today, note="认定")
        initialise_profile(center)  # profile, governance, co-builders, services; grants
        record(
            actor=actor,
            action="centers.center_designated",
            target=center,
            to_state=center.status,
            data={
                "label": "认定为省技术创新中心",
                "number": center.number,
                "application": app.number or app.pk,
                "by": "system" if actor is None else "officer",
            },
        )
        _issue_notice_on_commit(center.pk)
    return center


def designate_due(*, now: dt.datetime | None = None) -> list[Center]:
    """Designate every plan whose publicity is over with no open objection (the beat task)."""
    from centers.selectors import designation_due

    centers = []
    for app_id in designation_due(now=now).values_list("pk", flat=True):
        try:
            centers.append(designate(actor=None, application_id=app_id, now=now))
        except TransitionError as exc:  # changed meanwhile (objection filed, withdrawn...)
            log.info("application %s not designated: %s", app_id, exc)
    return centers
