"""Eligibility of a plan at submission (Art. 8; DESIGN §2.1).

``problems(application)`` lists every failing rule at once, each as
``{"rule", "message", "section"}`` (message in the active language; ``section`` is the code of
the plan section where it is fixed). ``applications.rules.eligible`` is true
when the list is empty.

Required attachments: plan document, charter, business licence, title
certificate (of the director), proof of premises and credit report — one of
each kind at least.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import credit_code
from accounts.models import SHANXI
from centers.models import IndustryField
from documents.languages import punct

from . import sections
from .models import ATTACHMENT_LABELS, AttachmentKind
from .versions import active_attachments

MIN_AREA_M2 = 1000
LEAD_TYPES = {
    "comprehensive": {"university", "research_institute", "new_rd_institution"},
    "domain": {"enterprise", "university", "research_institute"},
}
LEAD_TYPE_TEXT = {
    "comprehensive": gettext_lazy("a university, a research institute or a new R&D institution"),
    "domain": gettext_lazy(
        "a leading enterprise of its industry, a university or a research institute"
    ),
}
REQUIRED_ATTACHMENTS = [
    AttachmentKind.PLAN_DOCUMENT,
    AttachmentKind.CHARTER,
    AttachmentKind.BUSINESS_LICENCE,
    AttachmentKind.TITLE_CERTIFICATE,
    AttachmentKind.PREMISES_PROOF,
    AttachmentKind.CREDIT_REPORT,
]


def _problem(rule, message, section):
    return {"rule": rule, "message": message, "section": section}


def _number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def problems(application) -> list[dict]:
    """Every failing eligibility rule of the application, in the order of the form."""
    out = []
    org = application.organization
    plan = application.plan or {}
    kind = application.kind

    # --- lead organization (Art. 8(1)) ---
    if org.registered_province != SHANXI:
        out.append(
            _problem(
                "lead_in_shanxi",
                _("The lead organization must be registered in Shanxi (now: %(where)s).")
                % {"where": org.registered_province or _("not filled in")},
                "lead",
            )
        )
    code_problem = credit_code.problem(org.credit_code or "")
    if code_problem:
        out.append(
            _problem(
                "credit_code",
                _("Lead organization: %(problem)s") % {"problem": code_problem},
                "lead",
            )
        )
    if not org.is_legal_person:
        out.append(
            _problem(
                "legal_person",
                _("The lead organization must be an independent legal person."),
                "lead",
            )
        )
    if org.status != org.Status.VERIFIED:
        out.append(
            _problem(
                "organization_verified",
                _(
                    "The lead organization's registration is not verified by the organizing "
                    "department yet; the plan can be submitted once it is."
                ),
                "lead",
            )
        )
    if kind in LEAD_TYPES and org.org_type not in LEAD_TYPES[kind]:
        kind_name = _("comprehensive center") if kind == "comprehensive" else _("domain center")
        out.append(
            _problem(
                "lead_type",
                _("The lead organization of a %(kind)s must be %(types)s.")
                % {"kind": kind_name, "types": LEAD_TYPE_TEXT[kind]},
                "basics",
            )
        )

    # --- basics: field or strategic areas (Art. 6, 7, 8(4)) ---
    if kind == "domain":
        if application.industry_field_id is None:
            out.append(
                _problem(
                    "industry_field",
                    _("A domain center needs its industry field (14+N)."),
                    "basics",
                )
            )
        elif not IndustryField.objects.current().filter(pk=application.industry_field_id).exists():
            out.append(
                _problem(
                    "industry_field",
                    _(
                        "The industry field chosen is no longer in the current 14+N list; choose again."
                    ),
                    "basics",
                )
            )
    elif kind == "comprehensive":
        if not application.strategic_areas.exists():
            out.append(
                _problem(
                    "strategic_area",
                    _("A comprehensive center needs at least one strategic area it serves."),
                    "basics",
                )
            )
        if not sections.rows(plan.get("lead") or {}, sections.LEAD.lists[0]):
            out.append(
                _problem(
                    "rd_institution",
                    _("A comprehensive center needs at least one specialized R&D institution."),
                    "lead",
                )
            )
    if not (application.name or "").strip():
        out.append(_problem("name", _("Enter the name of the proposed center."), "basics"))

    # --- director (Art. 8(2)) ---
    level = (plan.get("director") or {}).get("title_level")
    if level and level != "senior_full":
        out.append(
            _problem(
                "director_title",
                _("The director must hold a full senior professional title."),
                "director",
            )
        )

    # --- area (Art. 8(3)) ---
    if kind == "comprehensive":
        area = _number(((plan.get("lead") or {}).get("headquarters") or {}).get("area_m2"))
        section, where = "lead", _("The center (headquarters)")
    else:
        area = _number((plan.get("facilities") or {}).get("area_m2"))
        section, where = "facilities", _("The center")
    if area is not None and area < MIN_AREA_M2:
        out.append(
            _problem(
                "area",
                _("%(where)s needs a floor area of at least %(min)s m² (now %(area)s m²).")
                % {"where": where, "min": MIN_AREA_M2, "area": sections.format_number(area)},
                section,
            )
        )

    # --- declaration (Art. 8(4)) ---
    decl = plan.get("declaration") or {}
    if (
        not decl.get("compliant")
        or not (decl.get("signed_by") or "").strip()
        or not decl.get("signed_on")
    ):
        out.append(
            _problem(
                "declaration",
                _(
                    "Tick the compliance declaration (no major safety or quality incident, "
                    "serious environmental problem, illegal conduct or breach of trust) and "
                    "give the declarant and the date."
                ),
                "declaration",
            )
        )

    # --- attachments ---
    present = set(active_attachments(application).values_list("kind", flat=True))
    lacking = [ATTACHMENT_LABELS[k] for k in REQUIRED_ATTACHMENTS if k not in present]
    if lacking:
        out.append(
            _problem(
                "attachments",
                _("Required attachments missing: %(list)s.")
                % {"list": punct("、").join(map(str, lacking))},
                "attachments",
            )
        )

    # --- completeness of every required section ---
    for section in sections.PLAN_SECTIONS:
        gaps = sections.missing(section, plan, kind)
        if gaps and section.code != "declaration":
            out.append(
                _problem(
                    f"incomplete:{section.code}",
                    _("“%(section)s” is not complete: %(list)s.")
                    % {"section": section.title, "list": punct("、").join(gaps)},
                    section.code,
                )
            )
    return out


def is_eligible(application) -> bool:
    """The ``submit`` condition (bound to ``applications.rules.eligible`` at start-up)."""
    return not problems(application)


def section_status(application) -> list[dict]:
    """Progress: each section with complete/incomplete and what is missing."""
    plan = application.plan or {}
    kind = application.kind
    out = []
    for section in sections.SECTIONS:
        if section.code == "basics":
            gaps = []
            if not application.name:
                gaps.append(str(_("Name of the proposed center")))
            if kind == "domain" and not application.industry_field_id:
                gaps.append(str(_("Industry field")))
            if kind == "comprehensive" and not application.strategic_areas.exists():
                gaps.append(str(_("Strategic areas")))
        elif section.code == "attachments":
            present = set(active_attachments(application).values_list("kind", flat=True))
            gaps = [str(ATTACHMENT_LABELS[k]) for k in REQUIRED_ATTACHMENTS if k not in present]
        else:
            gaps = sections.missing(section, plan, kind)
            if section.code == "declaration":
                decl = plan.get("declaration") or {}
                confirm = str(_("We confirm that the declaration above is true"))
                if not decl.get("compliant") and confirm not in gaps:
                    gaps.append(str(_("Compliance declaration")))
        out.append({"section": section, "complete": not gaps, "missing": gaps})
    return out
