"""The sections of a construction plan (建设方案): one definition serves the forms,
the read-only display, the completeness check and the version comparison.

Keys follow the plan JSON schema of the team briefing. ``basics`` (model
columns) and ``attachments`` (files) are sections too but are not stored in
``Application.plan``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from documents.languages import punct

COMPREHENSIVE = "comprehensive"
DOMAIN = "domain"
BOTH = frozenset({COMPREHENSIVE, DOMAIN})

TITLE_LEVELS = [
    ("senior_full", _("Full senior")),
    ("senior_deputy", _("Associate senior")),
    ("intermediate", _("Intermediate")),
    ("other", _("Other")),
]
CO_BUILDING_MODES = [
    ("membership", _("Membership")),
    ("shareholding", _("Shareholding")),
    ("agreement", _("Agreement")),
]
ACHIEVEMENT_KINDS = [
    ("patent", _("Patents")),
    ("standard", _("Standards")),
    ("software", _("Software copyright")),
    ("other", _("Other")),
]
LEGAL_ENTITY_TYPES = [
    ("enterprise", _("Enterprise")),
    ("social_service_organization", _("Social service organization")),
    (
        "internal_unit_in_transition",
        _("Internal unit (in transition to an independent legal entity)"),
    ),
]
ORG_TYPES = [
    ("enterprise", _("Enterprise")),
    ("university", _("University")),
    ("research_institute", _("Research institute")),
    ("technical_institution", _("Technical institution")),
    ("new_rd_institution", _("New R&D institution")),
    ("other", _("Other")),
]
# Stored by their Chinese names (Art. 13), shown in the active language.
PUBLIC_SERVICES = [
    ("技术委托研发", _("R&D on commission")),
    ("标准制定和实验验证", _("Standard setting and experimental verification")),
    ("检验检测", _("Testing and inspection")),
    ("企业孵化", _("Business incubation")),
    ("人员培训", _("Training")),
    ("市场信息服务", _("Market information services")),
    ("成果评价", _("Evaluation of results")),
    ("科技咨询", _("S&T consulting")),
]
STANDARD_TARGETS = [
    ("rd_spending_wan", _("R&D spending"), _("10,000 yuan")),
    ("staff", _("Staff"), _("persons")),
    ("patents", _("Patents"), _("pieces")),
    ("standards", _("Standards"), _("items")),
    ("incubated_enterprises", _("Incubated enterprises"), _("enterprises")),
    ("service_income_wan", _("Technical service income"), _("10,000 yuan")),
]
STANDARD_TARGET_KEYS = [k for k, _l, _u in STANDARD_TARGETS]
STANDARD_LABELS = {k: label for k, label, _u in STANDARD_TARGETS}


def stored_standard_target(key: str) -> tuple[str, str]:
    """Label and unit of a standard target as the plan stores them (in Chinese, the language
    of the record); pages show ``STANDARD_TARGETS`` in the active language."""
    from django.utils import translation

    with translation.override("zh-hans"):
        label, unit = {k: (lb, u) for k, lb, u in STANDARD_TARGETS}[key]
        return str(label), str(unit)


@dataclass(frozen=True)
class Field:
    key: str  # dotted path inside the section, e.g. "headquarters.area_m2"
    label: str
    kind: str = "text"  # text longtext number int choice bool date multi credit_code
    choices: tuple = ()
    required_for: frozenset = BOTH  # kinds for which the field must be filled at submit
    shown_for: frozenset = BOTH

    @property
    def name(self) -> str:
        return self.key.replace(".", "__")

    def display(self, value) -> str:
        if value in (None, "", []):
            return ""
        if self.kind == "choice":
            return str(dict(self.choices).get(value, value))
        if self.kind == "multi":
            labels = dict(self.choices)
            return punct("、").join(str(labels.get(v, v)) for v in value)
        if self.kind == "bool":
            return str(_("Yes") if value else _("No"))
        if self.kind in ("number", "int"):
            return format_number(value)
        return str(value)


@dataclass(frozen=True)
class ListSpec:
    key: str  # dotted path of the list inside the section
    label: str
    columns: tuple
    identity: tuple  # column keys that identify a row when comparing versions
    min_rows_for: frozenset = frozenset()  # kinds that need at least one row
    shown_for: frozenset = BOTH
    required_columns: tuple = ()

    @property
    def prefix(self) -> str:
        return self.key.replace(".", "__")


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    fields: tuple = ()
    lists: tuple = ()
    in_plan: bool = True
    optional: bool = False
    help: str = ""
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    def fields_for(self, kind):
        return [f for f in self.fields if kind in f.shown_for]

    def lists_for(self, kind):
        return [x for x in self.lists if kind in x.shown_for]


def format_number(value) -> str:
    if isinstance(value, bool):
        return str(value)
    try:
        d = Decimal(str(value))
    except Exception:
        return str(value)
    d = d.normalize()
    text = format(d, "f")
    return text


def to_json_number(value):
    """Decimal/int from a form -> int when integral, float otherwise (JSON-friendly)."""
    if value is None or value == "":
        return None
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def get_path(data: dict, key: str):
    cur = data
    for part in key.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur


def set_path(data: dict, key: str, value) -> None:
    parts = key.split(".")
    cur = data
    for part in parts[:-1]:
        nxt = cur.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            cur[part] = nxt
        cur = nxt
    cur[parts[-1]] = value


ONLY_COMPREHENSIVE = frozenset({COMPREHENSIVE})
ONLY_DOMAIN = frozenset({DOMAIN})
NOBODY = frozenset()

BASICS = Section(
    code="basics",
    title=_("Basic information"),
    in_plan=False,
    help=_(
        "Name and kind of the proposed center, its industry field or strategic areas, the organizing department."
    ),
)

LEAD = Section(
    code="lead",
    title=_("Lead organization"),
    fields=(
        Field(
            "profile",
            _(
                "Profile of the lead organization (ability to pool resources, to transfer and spread technology)"
            ),
            "longtext",
        ),
        Field(
            "headquarters.name",
            _("Name of the center (headquarters)"),
            required_for=ONLY_COMPREHENSIVE,
            shown_for=ONLY_COMPREHENSIVE,
        ),
        Field(
            "headquarters.address",
            _("Address of the center (headquarters)"),
            required_for=ONLY_COMPREHENSIVE,
            shown_for=ONLY_COMPREHENSIVE,
        ),
        Field(
            "headquarters.area_m2",
            _("Floor area of the center (headquarters) (m²)"),
            "number",
            required_for=ONLY_COMPREHENSIVE,
            shown_for=ONLY_COMPREHENSIVE,
        ),
    ),
    lists=(
        ListSpec(
            "rd_institutions",
            _("Specialized R&D institutions"),
            columns=(
                Field("name", _("Institution name")),
                Field("city", _("Location (city)")),
                Field("focus", _("Research direction")),
            ),
            identity=("name",),
            min_rows_for=ONLY_COMPREHENSIVE,
            shown_for=ONLY_COMPREHENSIVE,
            required_columns=("name", "city", "focus"),
        ),
    ),
)

COBUILDERS = Section(
    code="cobuilders",
    title=_("Co-builders"),
    optional=True,
    help=_(
        "Enterprises, universities, research institutes and others that co-build the center, and how (Art. 12). Optional."
    ),
    lists=(
        ListSpec(
            "items",
            _("Co-builders"),
            columns=(
                Field("name", _("Organization name")),
                Field("credit_code", _("Unified social credit code"), "credit_code"),
                Field("org_type", _("Organization type"), "choice", tuple(ORG_TYPES)),
                Field("mode", _("Mode of co-building"), "choice", tuple(CO_BUILDING_MODES)),
                Field("contribution", _("Contribution and share of work")),
            ),
            identity=("credit_code", "name"),
            required_columns=("name", "credit_code", "org_type", "mode", "contribution"),
        ),
    ),
)

DIRECTOR = Section(
    code="director",
    title=_("Director"),
    fields=(
        Field("name", _("Name of person")),
        Field("title", _("Professional and technical title")),
        Field("title_level", _("Title level"), "choice", tuple(TITLE_LEVELS)),
        Field("position", _("Current position")),
        Field("field", _("Field of expertise")),
        Field("resume", _("Curriculum vitae"), "longtext"),
    ),
)

TEAM = Section(
    code="team",
    title=_("Research team"),
    fields=(
        Field("size", _("Team size"), "int"),
        Field("composition", _("Composition of the team"), "longtext"),
    ),
    lists=(
        ListSpec(
            "key_members",
            _("Core members"),
            columns=(
                Field("name", _("Name of person")),
                Field("title", _("Academic title")),
                Field("role", _("Tasks")),
            ),
            identity=("name",),
            min_rows_for=BOTH,
            required_columns=("name", "title", "role"),
        ),
    ),
)

ACHIEVEMENTS = Section(
    code="achievements",
    title=_("Proprietary intellectual property"),
    fields=(Field("market_prospects", _("Market prospects"), "longtext"),),
    lists=(
        ListSpec(
            "items",
            _("Results"),
            columns=(
                Field("kind", _("Type"), "choice", tuple(ACHIEVEMENT_KINDS)),
                Field("title", _("Name")),
                Field("number", _("Number (patent, standard or registration number)")),
                Field("date", _("Date"), "date"),
            ),
            identity=("kind", "number", "title"),
            min_rows_for=BOTH,
            required_columns=("kind", "title", "number", "date"),
        ),
    ),
)

FACILITIES = Section(
    code="facilities",
    title=_("Facilities"),
    fields=(
        Field("area_m2", _("Floor area (m²)"), "number", required_for=ONLY_DOMAIN),
        Field("equipment_value_wan", _("Original value of instruments (10,000 yuan)"), "number"),
        Field("major_instruments", _("Major instruments and equipment"), "longtext"),
        Field("venues", _("Service premises"), "longtext"),
    ),
)

GOVERNANCE = Section(
    code="governance",
    title=_("Legal entity and governance"),
    fields=(
        Field("legal_entity_type", _("Type of legal entity"), "choice", tuple(LEGAL_ENTITY_TYPES)),
        Field(
            "transition_plan",
            _("Plan of transition to an independent legal entity (internal units)"),
            "longtext",
            required_for=NOBODY,
        ),
        Field("council", _("Council (board) decision-making"), "longtext"),
        Field("director_system", _("Director (general manager) responsibility system"), "longtext"),
        Field("expert_committee", _("Expert committee (advisory)"), "longtext"),
        Field("charter", _("Main points of the charter"), "longtext"),
    ),
)

INVESTMENT = Section(
    code="investment",
    title=_("Funding and public services"),
    fields=(
        Field("lead_commitment_wan", _("Lead organization's commitment (10,000 yuan)"), "number"),
        Field(
            "public_services",
            _("Public services offered (Art. 13)"),
            "multi",
            tuple(PUBLIC_SERVICES),
        ),
    ),
    lists=(
        ListSpec(
            "cobuilder_commitments",
            _("Co-builders' commitments"),
            columns=(
                Field("name", _("Co-builders")),
                Field("amount_wan", _("Amount (10,000 yuan)"), "number"),
            ),
            identity=("name",),
            required_columns=("name", "amount_wan"),
        ),
    ),
)

TARGETS = Section(
    code="targets",
    title=_("Three-year targets"),
    help=_(
        "The six standard indicators need a current value and a three-year target; other indicators may be added."
    ),
    lists=(
        ListSpec(
            "items",
            _("Targets"),
            columns=(
                Field("label", _("Indicator")),
                Field("unit", _("Unit of measure")),
                Field("baseline", _("Current value"), "number"),
                Field("target", _("Target in three years"), "number"),
            ),
            identity=("key",),
            required_columns=("label", "baseline", "target"),
        ),
    ),
)

DECLARATION = Section(
    code="declaration",
    title=_("Compliance declaration"),
    help=_(
        "Our organization complies with national and provincial industrial policy and has had no major safety or quality incident, serious environmental problem, illegal conduct or breach of trust (Art. 8, item 4)."
    ),
    fields=(
        Field("compliant", _("We confirm that the declaration above is true"), "bool"),
        Field("signed_by", _("Declared by (legal representative)")),
        Field("signed_on", _("Date of declaration"), "date"),
    ),
)

ATTACHMENTS = Section(code="attachments", title=_("Attachments"), in_plan=False)

SECTIONS: tuple[Section, ...] = (
    BASICS,
    LEAD,
    COBUILDERS,
    DIRECTOR,
    TEAM,
    ACHIEVEMENTS,
    FACILITIES,
    GOVERNANCE,
    INVESTMENT,
    TARGETS,
    DECLARATION,
    ATTACHMENTS,
)
BY_CODE = {s.code: s for s in SECTIONS}
PLAN_SECTIONS = tuple(s for s in SECTIONS if s.in_plan)


def get(code: str) -> Section:
    return BY_CODE[code]


# ---- reading a plan --------------------------------------------------------


def rows(section_data: dict, spec: ListSpec) -> list[dict]:
    value = get_path(section_data or {}, spec.key)
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def default_targets() -> list[dict]:
    return [
        dict(zip(("label", "unit"), stored_standard_target(k), strict=True))
        | {"key": k, "baseline": None, "target": None}
        for k in STANDARD_TARGET_KEYS
    ]


def target_rows(section_data: dict) -> list[dict]:
    """Target rows with the six standard keys always first (pre-filled when missing)."""
    existing = {r.get("key"): r for r in rows(section_data, TARGETS.lists[0])}
    out = []
    for k, label, unit in STANDARD_TARGETS:
        row = dict(existing.get(k) or {})
        row.update({"key": k, "label": str(label), "unit": str(unit)})
        row.setdefault("baseline", None)
        row.setdefault("target", None)
        out.append(row)
    out.extend(
        r for r in rows(section_data, TARGETS.lists[0]) if r.get("key") not in STANDARD_TARGET_KEYS
    )
    return out


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value is False


def missing(section: Section, plan: dict, kind: str) -> list[str]:
    """Chinese descriptions of what a plan section still lacks for submission."""
    data = plan.get(section.code) or {}
    out = []
    for f in section.fields_for(kind):
        if kind in f.required_for and _empty(get_path(data, f.key)):
            out.append(str(f.label))
    if (
        section.code == "governance"
        and data.get("legal_entity_type") == ("internal_unit_in_transition")
        and _empty(data.get("transition_plan"))
    ):
        out.append(str(_("Plan of transition to an independent legal entity")))
    for spec in section.lists_for(kind):
        items = target_rows(data) if section is TARGETS else rows(data, spec)
        if kind in spec.min_rows_for and not items:
            out.append(str(_("at least one row of %(list)s") % {"list": spec.label}))
        for i, row in enumerate(items, start=1):
            gaps = [
                c.label
                for c in spec.columns
                if c.key in spec.required_columns and _empty(row.get(c.key))
            ]
            if gaps:
                name = row.get("label") if section is TARGETS else _("row %(n)s") % {"n": i}
                out.append(
                    _("%(list)s “%(row)s”: %(columns)s")
                    % {"list": spec.label, "row": name, "columns": punct("、").join(map(str, gaps))}
                )
    return out


def display(section: Section, plan: dict, kind: str) -> dict:
    """A read-only rendering of a plan section: fields (label, value) and tables."""
    data = plan.get(section.code) or {}
    fields = [(f.label, f.display(get_path(data, f.key))) for f in section.fields_for(kind)]
    tables = []
    for spec in section.lists_for(kind):
        items = target_rows(data) if section is TARGETS else rows(data, spec)
        tables.append(
            {
                "label": spec.label,
                "headers": [c.label for c in spec.columns],
                "rows": [[c.display(r.get(c.key)) for c in spec.columns] for r in items],
            }
        )
    return {"code": section.code, "title": section.title, "fields": fields, "tables": tables}
