"""Eligibility of a plan at submission (Art. 8; DESIGN §2.1).

``problems(application)`` lists every failing rule at once, each as
``{"rule", "message", "section"}`` (Chinese message; ``section`` is the code of
the plan section where it is fixed). ``applications.rules.eligible`` is true
when the list is empty.

Required attachments: plan document, charter, business licence, title
certificate (of the director), proof of premises and credit report — one of
each kind at least.
"""

from __future__ import annotations

from accounts import credit_code
from accounts.models import SHANXI
from centers.models import IndustryField

from . import sections
from .models import ATTACHMENT_LABELS, AttachmentKind
from .versions import active_attachments

MIN_AREA_M2 = 1000
LEAD_TYPES = {
    "comprehensive": {"university", "research_institute", "new_rd_institution"},
    "domain": {"enterprise", "university", "research_institute"},
}
LEAD_TYPE_TEXT = {
    "comprehensive": "高等院校、科研院所或新型研发机构",
    "domain": "行业龙头企业、高等院校或科研院所",
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
                f"牵头单位应在山西省内注册登记（当前登记地：{org.registered_province or '未填写'}）。",
                "lead",
            )
        )
    code_problem = credit_code.problem(org.credit_code or "")
    if code_problem:
        out.append(_problem("credit_code", f"牵头单位{code_problem}", "lead"))
    if not org.is_legal_person:
        out.append(_problem("legal_person", "牵头单位应具有独立法人资格。", "lead"))
    if org.status != org.Status.VERIFIED:
        out.append(
            _problem(
                "organization_verified",
                "牵头单位注册信息尚未通过组织管理部门核验，核验通过后方可提交。",
                "lead",
            )
        )
    if kind in LEAD_TYPES and org.org_type not in LEAD_TYPES[kind]:
        kind_name = "综合类" if kind == "comprehensive" else "领域类"
        out.append(
            _problem(
                "lead_type",
                f"{kind_name}技术创新中心的牵头单位应为{LEAD_TYPE_TEXT[kind]}。",
                "basics",
            )
        )

    # --- basics: field or strategic areas (Art. 6, 7, 8(4)) ---
    if kind == "domain":
        if application.industry_field_id is None:
            out.append(
                _problem(
                    "industry_field", "领域类技术创新中心须选择所属产业领域（14+N）。", "basics"
                )
            )
        elif not IndustryField.objects.current().filter(pk=application.industry_field_id).exists():
            out.append(
                _problem(
                    "industry_field",
                    "所选产业领域已不在现行14+N产业领域目录中，请重新选择。",
                    "basics",
                )
            )
    elif kind == "comprehensive":
        if not application.strategic_areas.exists():
            out.append(
                _problem(
                    "strategic_area",
                    "综合类技术创新中心须选择至少一个服务的重大战略区域。",
                    "basics",
                )
            )
        if not sections.rows(plan.get("lead") or {}, sections.LEAD.lists[0]):
            out.append(
                _problem(
                    "rd_institution", "综合类技术创新中心须填写至少一个专业化创新研发机构。", "lead"
                )
            )
    if not (application.name or "").strip():
        out.append(_problem("name", "请填写拟建中心名称。", "basics"))

    # --- director (Art. 8(2)) ---
    level = (plan.get("director") or {}).get("title_level")
    if level and level != "senior_full":
        out.append(_problem("director_title", "中心主任应具有正高级专业技术职称。", "director"))

    # --- area (Art. 8(3)) ---
    if kind == "comprehensive":
        area = _number(((plan.get("lead") or {}).get("headquarters") or {}).get("area_m2"))
        section, where = "lead", "中心（本部）"
    else:
        area = _number((plan.get("facilities") or {}).get("area_m2"))
        section, where = "facilities", "中心"
    if area is not None and area < MIN_AREA_M2:
        out.append(
            _problem(
                "area",
                f"{where}使用面积应不少于{MIN_AREA_M2}平方米（当前：{sections.format_number(area)}平方米）。",
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
                "须勾选合规声明（不存在重大安全、重大质量、严重环境问题或违法失信情况）并签署声明人和日期。",
                "declaration",
            )
        )

    # --- attachments ---
    present = set(active_attachments(application).values_list("kind", flat=True))
    lacking = [ATTACHMENT_LABELS[k] for k in REQUIRED_ATTACHMENTS if k not in present]
    if lacking:
        out.append(
            _problem("attachments", "缺少必需附件：" + "、".join(lacking) + "。", "attachments")
        )

    # --- completeness of every required section ---
    for section in sections.PLAN_SECTIONS:
        gaps = sections.missing(section, plan, kind)
        if gaps and section.code != "declaration":
            out.append(
                _problem(
                    f"incomplete:{section.code}",
                    f"「{section.title}」尚未填写完整：" + "、".join(gaps) + "。",
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
                gaps.append("拟建中心名称")
            if kind == "domain" and not application.industry_field_id:
                gaps.append("产业领域")
            if kind == "comprehensive" and not application.strategic_areas.exists():
                gaps.append("重大战略区域")
        elif section.code == "attachments":
            present = set(active_attachments(application).values_list("kind", flat=True))
            gaps = [ATTACHMENT_LABELS[k] for k in REQUIRED_ATTACHMENTS if k not in present]
        else:
            gaps = sections.missing(section, plan, kind)
            if section.code == "declaration":
                decl = plan.get("declaration") or {}
                if not decl.get("compliant") and "我单位承诺上述声明属实" not in gaps:
                    gaps.append("合规声明")
        out.append({"section": section, "complete": not gaps, "missing": gaps})
    return out
