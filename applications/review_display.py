"""Read-only display of a frozen plan version (ApplicationVersion.data) on the review side.

The version JSON follows the plan schema of the team briefing. Known keys get labels,
unknown keys are shown as they are, so nothing the applicant wrote is hidden.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from centers.models import CenterKind

SECTIONS = [
    ("lead", _("Lead organization")),
    ("cobuilders", _("Co-builders")),
    ("director", _("Director")),
    ("team", _("Team")),
    ("achievements", _("Achievements with independent IP")),
    ("facilities", _("Facilities")),
    ("governance", _("Legal entity and governance")),
    ("investment", _("Investment commitments and public services")),
    ("targets", _("Three-year targets")),
    ("declaration", _("Compliance declaration")),
]

LABELS = {
    "headquarters": _("Headquarters"),
    "rd_institutions": _("Specialized R&D institutions"),
    "profile": _("Profile"),
    "items": _("Items"),
    "name": _("Name"),
    "address": _("Address"),
    "area_m2": _("Usable area (m²)"),
    "city": _("City"),
    "focus": _("Focus"),
    "credit_code": _("Unified social credit code"),
    "org_type": _("Organization type"),
    "mode": _("Mode of joining"),
    "contribution": _("Contribution"),
    "title": _("Title"),
    "title_level": _("Title level"),
    "position": _("Position"),
    "field": _("Field"),
    "resume": _("Résumé"),
    "size": _("Team size"),
    "composition": _("Composition"),
    "key_members": _("Key members"),
    "role": _("Role"),
    "kind": _("Kind"),
    "number": _("Number"),
    "date": _("Date"),
    "market_prospects": _("Market prospects"),
    "equipment_value_wan": _("Equipment value (10k yuan)"),
    "major_instruments": _("Major instruments"),
    "venues": _("Venues"),
    "legal_entity_type": _("Legal entity"),
    "transition_plan": _("Transition plan"),
    "council": _("Council or board"),
    "director_system": _("Director system"),
    "expert_committee": _("Expert committee"),
    "charter": _("Charter"),
    "lead_commitment_wan": _("Lead organization's commitment (10k yuan)"),
    "cobuilder_commitments": _("Co-builders' commitments"),
    "amount_wan": _("Amount (10k yuan)"),
    "public_services": _("Public services"),
    "key": _("Key"),
    "label": _("Indicator"),
    "unit": _("Unit"),
    "baseline": _("Baseline"),
    "target": _("Target"),
    "compliant": _("Declared compliant"),
    "signed_by": _("Signed by"),
    "signed_on": _("Signed on"),
}

VALUES = {
    "title_level": {
        "senior_full": _("full senior title"),
        "senior_deputy": _("deputy senior title"),
        "intermediate": _("intermediate title"),
        "other": _("other"),
    },
    "mode": {
        "membership": _("membership"),
        "shareholding": _("shareholding"),
        "agreement": _("agreement"),
    },
    "kind": {
        "patent": _("patent"),
        "standard": _("standard"),
        "software": _("software copyright"),
        "other": _("other"),
        **dict(CenterKind.choices),
    },
    "legal_entity_type": {
        "enterprise": _("enterprise"),
        "social_service_organization": _("social service organization"),
        "internal_unit_in_transition": _("internal unit in transition"),
    },
    "org_type": dict(Organization.Type.choices),
}


def label(key):
    return LABELS.get(key, key)


def text(key, value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(str(text(key, v)) for v in value) or "—"
    return VALUES.get(key, {}).get(value, value)


def _table(items):
    columns = []
    for item in items:
        for k in item:
            if k not in columns:
                columns.append(k)
    return {
        "headers": [label(c) for c in columns],
        "rows": [[text(c, item.get(c)) for c in columns] for item in items],
    }


def rows(value) -> list[dict]:
    """Rows of one section: {"label", "text"} or {"label", "table"} or {"label", "rows"}."""
    out = []
    for key, item in (value or {}).items() if isinstance(value, dict) else []:
        if isinstance(item, list) and item and all(isinstance(i, dict) for i in item):
            out.append({"label": label(key), "table": _table(item)})
        elif isinstance(item, dict):
            out.append({"label": label(key), "rows": rows(item)})
        else:
            out.append({"label": label(key), "text": text(key, item)})
    return out


def basics(data: dict) -> list[dict]:
    org = data.get("organization") or {}
    field = data.get("industry_field") or {}
    return [
        {"label": _("Full name"), "text": data.get("full_name") or "—"},
        {"label": _("Kind"), "text": text("kind", data.get("kind"))},
        {"label": _("Industry field"), "text": field.get("name") or "—"},
        {"label": _("Strategic areas"), "text": text("", data.get("strategic_areas") or [])},
        {"label": _("Lead organization"), "text": org.get("name") or "—"},
        {"label": label("credit_code"), "text": org.get("credit_code") or "—"},
        {"label": label("org_type"), "text": text("org_type", org.get("org_type"))},
        {"label": label("city"), "text": org.get("city") or "—"},
        {"label": _("Organizing department"), "text": data.get("department") or "—"},
    ]


def plan_sections(data: dict) -> list[dict]:
    """The sections of a version for the template, in the order of the plan forms."""
    plan = (data or {}).get("plan") or {}
    sections = [{"key": "basics", "title": _("Basics"), "rows": basics(data or {})}]
    known = [key for key, _title in SECTIONS]
    for key, title in SECTIONS:
        sections.append({"key": key, "title": title, "rows": rows(plan.get(key))})
    for key in plan:
        if key not in known:
            sections.append({"key": key, "title": key, "rows": rows(plan.get(key))})
    return sections
