"""Applying an approved change request to its center (Art. 15), and the values compared.

Called by ``centers.services.changes.change_request_decide`` inside the approval's
transaction: the center row is locked, its fields change, a ``CenterChange`` keeps the old
and the new values, the audit event is written on the center, and a rename or
reorganization queues its approval document (批复) after the commit.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from audit.services import record
from centers.models import Center, CenterName
from centers.models_changes import CenterChange, CenterChangeRequest, ChangeKind
from centers.services.common import log

Kind = ChangeKind


def cobuilder_names(center: Center) -> list[str]:
    """The co-builders as the profile keeps them (rows), else as designated (plan data)."""
    from centers.models_profile import CoBuilder

    rows = list(CoBuilder.objects.filter(center=center).values_list("name", flat=True))
    if rows:
        return rows
    return [c.get("name", "") for c in center.cobuilders or [] if isinstance(c, dict)]


def institution_names(center: Center) -> list[str]:
    lead = (center.profile or {}).get("lead") or {}
    items = lead.get("rd_institutions") or []
    return [i.get("name", "") for i in items if isinstance(i, dict)]


def current_values(center: Center, kind: str) -> dict:
    if kind == Kind.RENAME:
        return {"name": center.name}
    if kind == Kind.DIRECTION:
        return {"main_direction": center.main_direction}
    if kind == Kind.REORGANIZATION:
        return {"cobuilders": cobuilder_names(center), "institutions": institution_names(center)}
    return {}


def requested_values(request: CenterChangeRequest) -> dict:
    if request.kind == Kind.RENAME:
        return {"name": request.new_name}
    if request.kind == Kind.DIRECTION:
        return {"main_direction": request.new_direction}
    if request.kind == Kind.REORGANIZATION:
        return {"cobuilders": request.new_cobuilders, "institutions": request.new_institutions}
    return {"description": request.description}


def apply_change(*, request: CenterChangeRequest, actor, now: dt.datetime) -> CenterChange:
    """Apply an approved request to its center (inside the approval's transaction)."""
    center = Center.objects.select_for_update().get(pk=request.center_id)
    today = timezone.localdate(now)
    old, new = current_values(center, request.kind), requested_values(request)
    if request.kind == Kind.RENAME:
        CenterName.objects.filter(center=center, valid_to__isnull=True).update(valid_to=today)
        CenterName.objects.create(
            center=center, name=request.new_name, valid_from=today, note="更名（第十五条）"
        )
        center.name = request.new_name
    elif request.kind == Kind.DIRECTION:
        center.main_direction = request.new_direction
    elif request.kind == Kind.REORGANIZATION:
        center.cobuilders = _rebuild(center.cobuilders, request.new_cobuilders)
        _sync_cobuilder_rows(center, request.new_cobuilders)
        profile = dict(center.profile or {})
        lead = dict(profile.get("lead") or {})
        lead["rd_institutions"] = _rebuild(lead.get("rd_institutions"), request.new_institutions)
        profile["lead"] = lead
        center.profile = profile
    center.save()
    change = CenterChange.objects.create(
        center=center,
        request=request,
        kind=request.kind,
        old_values=old,
        new_values=new,
        applied_on=today,
    )
    record(
        actor=actor,
        action="centers.change.applied",
        target=center,
        data={
            "label": f"{request.get_kind_display()}（第十五条）已批准并生效",
            "old": old,
            "new": new,
            "request": request.pk,
        },
    )
    if request.kind in DOCUMENTED:
        request_id = request.pk
        transaction.on_commit(lambda: _queue_approval_document(request_id))
    return change


DOCUMENTED = (Kind.RENAME, Kind.REORGANIZATION)


def _sync_cobuilder_rows(center, names) -> None:
    """The profile's co-builder rows (Art. 12) follow the approved list: kept rows keep their
    mode and investment, removed ones go, new ones are added to be completed in the profile."""
    from centers.models_profile import CoBuilder

    CoBuilder.objects.filter(center=center).exclude(name__in=names).delete()
    kept = {row.name: row for row in CoBuilder.objects.filter(center=center)}
    for order, name in enumerate(names):
        row = kept.get(name)
        if row is None:
            CoBuilder.objects.create(center=center, name=name[:200], order=order)
        elif row.order != order:
            CoBuilder.objects.filter(pk=row.pk).update(order=order)


def _rebuild(items, names) -> list:
    """The list after the change: kept entries keep their details, new ones get a name."""
    by_name = {i.get("name"): i for i in items or [] if isinstance(i, dict)}
    return [by_name.get(name) or {"name": name} for name in names]


APPROVAL_TASK = "centers.tasks.issue_change_approval"


def _queue_approval_document(request_id: int) -> None:
    """Queue the approval document by task name (the tasks module calls the services)."""
    from celery import current_app

    if current_app.conf.task_always_eager:  # no worker (tests, one-process setups)
        from centers.services.change_documents import issue_change_approval

        issue_change_approval(actor=None, request_id=request_id)
        return
    try:
        current_app.send_task(APPROVAL_TASK, args=[request_id])
    except Exception:  # the broker is down: the officer's button issues it later
        log.exception("could not queue the approval document of change request %s", request_id)
