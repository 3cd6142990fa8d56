"""The center's profile (Art. 10–13): initialised at designation, routine edits by its staff.

Initialisation runs in the designation transaction (``designation.designate`` calls
:func:`initialise_profile`); centers designated before this existed get theirs lazily the
first time their page is opened (:func:`ensure_profile`). Routine edits go through
:func:`update_profile`: one audit event with the old and new values of what changed, nothing
written when nothing changed. The name, the main research direction and the structure
(co-builders, specialized institutions) are not touched here: a change request does that.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import objects_for
from audit.services import record
from centers.models import Center
from centers.models_profile import (
    CenterProfile,
    CoBuilder,
    CoBuildingMode,
    GovernanceBody,
    GovernanceMember,
    LegalEntityType,
    PublicService,
)
from centers.permissions import grant_center

PROFILE_FIELDS = (
    "legal_entity_type",
    "transition_planned_on",
    "transition_plan",
    "charter",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
)
MEMBER_FIELDS = ("body", "name", "position", "affiliation")
SERVICE_FIELDS = ("name", "description")


def _wan(value) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return Decimal("0")
    return amount if amount >= 0 else Decimal("0")


def _text(value, limit) -> str:
    return str(value or "").strip()[:limit]


def initialise_profile(center: Center, *, actor=None) -> CenterProfile:
    """Create the profile from the plan data copied onto the center; idempotent."""
    existing = CenterProfile.objects.filter(center=center).first()
    if existing is not None:
        return existing
    sections = center.profile or {}
    governance = sections.get("governance") or {}
    investment = sections.get("investment") or {}
    org = center.lead_organization
    entity = governance.get("legal_entity_type") or ""
    profile = CenterProfile.objects.create(
        center=center,
        legal_entity_type=entity if entity in LegalEntityType.values else "",
        transition_plan=str(governance.get("transition_plan") or ""),
        charter=str(governance.get("charter") or ""),
        contact_name=_text(org.contact_name, 50),
        contact_phone=_text(org.contact_phone, 30),
        address=_text(org.address, 200),
    )
    director = center.director or {}
    if director.get("name"):
        GovernanceMember.objects.create(
            center=center,
            body=GovernanceBody.DIRECTOR,
            name=_text(director.get("name"), 50),
            position=_text(director.get("title") or director.get("position"), 100),
            affiliation=_text(org.name, 200),
        )
    commitments = {
        str(row.get("name") or "").strip(): row.get("amount_wan")
        for row in investment.get("cobuilder_commitments") or []
        if isinstance(row, dict)
    }
    for order, row in enumerate(center.cobuilders or []):
        if not isinstance(row, dict) or not row.get("name"):
            continue
        name = _text(row.get("name"), 200)
        mode = row.get("mode") or ""
        CoBuilder.objects.create(
            center=center,
            name=name,
            credit_code=_text(row.get("credit_code"), 18),
            org_type=_text(row.get("org_type"), 30),
            mode=mode if mode in CoBuildingMode.values else "",
            contribution=_text(row.get("contribution"), 300),
            committed_wan=_wan(commitments.get(name, 0)),
            order=order,
        )
    for order, name in enumerate(investment.get("public_services") or []):
        PublicService.objects.create(center=center, name=_text(name, 50), order=order)
    grant_center(center)
    return profile


def ensure_profile(center: Center) -> CenterProfile:
    """The center's profile, created from its plan data the first time it is needed."""
    profile = CenterProfile.objects.filter(center=center).first()
    if profile is not None:
        return profile
    with transaction.atomic():
        Center.objects.select_for_update().filter(pk=center.pk).first()
        return initialise_profile(center)


def can_keep(user, center: Center) -> bool:
    """The lead organization's staff (``change_center`` on this center) keep its profile."""
    return objects_for(user, "centers.change_center", Center.objects.filter(pk=center.pk)).exists()


def snapshot(center: Center) -> dict:
    """What a routine edit may change, as plain values (compared and written to the audit)."""
    profile = CenterProfile.objects.get(center=center)
    data = {}
    for name in PROFILE_FIELDS:
        value = getattr(profile, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
    data["members"] = [
        {k: getattr(m, k) for k in MEMBER_FIELDS}
        for m in GovernanceMember.objects.filter(center=center).order_by("order", "pk")
    ]
    data["services"] = [
        {k: getattr(s, k) for k in SERVICE_FIELDS}
        for s in PublicService.objects.filter(center=center).order_by("order", "pk")
    ]
    return data


def _clean_rows(rows, fields) -> list[dict]:
    out = []
    for row in rows or []:
        clean = {k: str(row.get(k) or "").strip() for k in fields}
        if clean.get("name"):
            out.append(clean)
    return out


def update_profile(
    *, actor, center_id: int, data: dict, members: list[dict], services: list[dict]
) -> bool:
    """Save a routine edit; returns whether anything changed (False: nothing written)."""
    with transaction.atomic():
        center = Center.objects.select_for_update().filter(pk=center_id).first()
        if center is None or not can_keep(actor, center):
            raise PermissionDenied(
                _("Only the staff of the center's lead organization can keep the center's profile.")
            )
        initialise_profile(center)
        before = snapshot(center)
        after = {name: data.get(name, before[name]) for name in PROFILE_FIELDS}
        for name in PROFILE_FIELDS:
            value = after[name]
            after[name] = value.isoformat() if hasattr(value, "isoformat") else (value or "")
        if after["legal_entity_type"] != LegalEntityType.INTERNAL_UNIT:
            after["transition_planned_on"] = ""
        after["members"] = _clean_rows(members, MEMBER_FIELDS)
        after["services"] = _clean_rows(services, SERVICE_FIELDS)
        changed = [key for key in after if after[key] != before[key]]
        if not changed:
            return False
        profile = CenterProfile.objects.select_for_update().get(center=center)
        for name in PROFILE_FIELDS:
            setattr(profile, name, data.get(name, getattr(profile, name)))
        if after["transition_planned_on"] == "":
            profile.transition_planned_on = None
        profile.updated_by = actor
        profile.save()
        if "members" in changed:
            GovernanceMember.objects.filter(center=center).delete()
            GovernanceMember.objects.bulk_create(
                GovernanceMember(center=center, order=i, **row)
                for i, row in enumerate(after["members"])
            )
        if "services" in changed:
            PublicService.objects.filter(center=center).delete()
            PublicService.objects.bulk_create(
                PublicService(center=center, order=i, **row)
                for i, row in enumerate(after["services"])
            )
        record(
            actor=actor,
            action="centers.profile_updated",
            target=center,
            data={
                "label": "更新中心概况",
                "old": {key: before[key] for key in changed},
                "new": {key: after[key] for key in changed},
            },
        )
    return True
