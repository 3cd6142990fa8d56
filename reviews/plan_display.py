"""Read-only display of a frozen plan version for experts (the plan schema of the briefing).

Known keys get Chinese labels (domain terms of the regulation); unknown keys are
shown as they are, so nothing the applicant wrote is hidden from the panel.
"""

from django.utils.translation import gettext_lazy as _

from documents.languages import punct

SECTIONS = [
    ("lead", _("Lead organization")),
    ("cobuilders", _("Co-builders")),
    ("director", _("Director")),
    ("team", _("Team")),
    ("achievements", _("Proprietary intellectual property")),
    ("facilities", _("Research facilities")),
    ("governance", _("Legal form and operating mechanism")),
    ("investment", _("Funding commitments and public services")),
    ("targets", _("Three-year targets")),
    ("declaration", _("Compliance declaration")),
]

LABELS = {
    "headquarters": _("Center (headquarters)"),
    "rd_institutions": _("Specialized R&D institutions"),
    "profile": _("Introduction"),
    "items": _("Breakdown"),
    "name": _("Name"),
    "address": _("Address"),
    "area_m2": _("Floor area (m²)"),
    "city": _("City"),
    "focus": _("Direction"),
    "credit_code": _("Unified social credit code"),
    "org_type": _("Organization type"),
    "mode": _("Mode of co-building"),
    "contribution": _("Tasks"),
    "title": _("Title or name"),
    "title_level": _("Title level"),
    "position": _("Position"),
    "field": _("Area"),
    "resume": _("CV"),
    "size": _("Team size (persons)"),
    "composition": _("Composition of the team"),
    "key_members": _("Core members"),
    "role": _("Share of work"),
    "kind": _("Kind"),
    "number": _("Number"),
    "date": _("Date"),
    "market_prospects": _("Market prospects"),
    "equipment_value_wan": _("Original value of instruments (10,000 yuan)"),
    "major_instruments": _("Major instruments and equipment"),
    "venues": _("Premises"),
    "legal_entity_type": _("Legal form"),
    "transition_plan": _("Transition scheme"),
    "council": _("Council (board)"),
    "director_system": _("Director responsibility"),
    "expert_committee": _("Expert committee"),
    "charter": _("Articles of association"),
    "lead_commitment_wan": _("Lead organization's funding (10,000 yuan)"),
    "cobuilder_commitments": _("Co-builders' funding"),
    "amount_wan": _("Amount (10,000 yuan)"),
    "public_services": _("Services to the public"),
    "label": _("Indicator"),
    "unit": _("Unit of measure"),
    "baseline": _("Current"),
    "target": _("Targets in three years"),
    "compliant": _("Compliance declared"),
    "signed_by": _("Signed by"),
    "signed_on": _("Signed on"),
}

VALUES = {
    "title_level": {
        "senior_full": _("Full senior"),
        "senior_deputy": _("Associate senior"),
        "intermediate": _("Intermediate"),
        "other": _("Other"),
    },
    "mode": {
        "membership": _("Membership"),
        "shareholding": _("Shareholding"),
        "agreement": _("Agreement"),
    },
    "kind": {
        "patent": _("Patents"),
        "standard": _("Standards"),
        "software": _("Software copyright"),
        "other": _("Other"),
        "comprehensive": _("Comprehensive"),
        "domain": _("Domain"),
    },
    "legal_entity_type": {
        "enterprise": _("Enterprise"),
        "social_service_organization": _("Social service organization"),
        "internal_unit_in_transition": _("Internal unit (in transition to a legal entity)"),
    },
    "org_type": {
        "enterprise": _("Enterprise"),
        "university": _("University"),
        "research_institute": _("Research institute"),
        "technical_institution": _("Technical institution"),
        "new_rd_institution": _("New R&D institution"),
    },
}


def text(key, value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return punct("、").join(text(key, v) for v in value) or "—"
    if key == "public_services":  # stored by their Chinese names
        from applications.sections import PUBLIC_SERVICES

        return str(dict(PUBLIC_SERVICES).get(value, value))
    return str(VALUES.get(key, {}).get(value, value))


# Internal identifiers of list rows: the row's label says what the row is.
HIDDEN_COLUMNS = {"key"}


def _with_label(entry: dict) -> dict:
    """A target row named by its Chinese label, never by its code (``rd_spending_wan``)."""
    from applications.sections import STANDARD_TARGETS

    key = entry.get("key")
    standard = {k: (label, unit) for k, label, unit in STANDARD_TARGETS}
    if key in standard:  # the stored label is Chinese: show the label of the active language
        label, unit = standard[key]
        entry = {**entry, "label": str(label), "unit": str(unit)}
    return entry


def rows(value) -> list[dict]:
    out = []
    if not isinstance(value, dict):
        return out
    for key, item in value.items():
        label = LABELS.get(key, key)
        if isinstance(item, list) and item and all(isinstance(i, dict) for i in item):
            item = [_with_label(entry) for entry in item]
            columns = []
            for entry in item:
                columns += [k for k in entry if k not in columns and k not in HIDDEN_COLUMNS]
            out.append(
                {
                    "label": label,
                    "headers": [LABELS.get(c, c) for c in columns],
                    "table": [[text(c, entry.get(c)) for c in columns] for entry in item],
                }
            )
        elif isinstance(item, dict):
            out.append({"label": label, "rows": rows(item)})
        else:
            out.append({"label": label, "text": text(key, item)})
    return out


def plan_sections(data: dict) -> list[dict]:
    data = data or {}
    org = data.get("organization") or {}
    field = data.get("industry_field") or {}
    basics = [
        {"label": _("Center name"), "text": data.get("full_name") or "—"},
        {"label": _("Kind"), "text": text("kind", data.get("kind"))},
        {"label": _("Industry field"), "text": field.get("name") or "—"},
        {"label": _("Strategic regions"), "text": text("", data.get("strategic_areas") or [])},
        {"label": _("Lead organization"), "text": org.get("name") or "—"},
        {"label": _("Unified social credit code"), "text": org.get("credit_code") or "—"},
        {"label": _("Organizing department"), "text": data.get("department") or "—"},
    ]
    plan = data.get("plan") or {}
    sections = [{"key": "basics", "title": _("Basic information"), "rows": basics}]
    known = {k for k, _t in SECTIONS}
    sections += [{"key": k, "title": t, "rows": rows(plan.get(k))} for k, t in SECTIONS]
    sections += [{"key": k, "title": k, "rows": rows(plan[k])} for k in plan if k not in known]
    return sections
