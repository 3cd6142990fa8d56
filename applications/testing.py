"""Pure-data builders of complete plans, for tests and demo data (no database writes here
except in ``make_complete_plan``, which goes through the services)."""

from __future__ import annotations

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import credit_code

from .sections import STANDARD_TARGET_KEYS, stored_standard_target

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)
REQUIRED_KINDS = [
    ("plan_document", "建设方案文本.pdf"),
    ("charter", "章程.pdf"),
    ("business_licence", "营业执照.pdf"),
    ("title_certificate", "中心主任职称证书.pdf"),
    ("premises_proof", "场地证明.pdf"),
    ("credit_report", "信用报告.pdf"),
]


def pdf_upload(name: str = "doc.pdf", content: bytes = MINIMAL_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def complete_plan_data(kind: str = "domain", *, area_m2: float = 2600) -> dict:
    """A plan JSON that is complete and eligible for ``kind`` (see the briefing's schema)."""
    lead = {"profile": "牵头单位为省内行业骨干，具有较强的资源整合能力和技术转移扩散能力。"}
    if kind == "comprehensive":
        lead["headquarters"] = {
            "name": "中心本部",
            "address": "太原市小店区科创路1号",
            "area_m2": area_m2,
        }
        lead["rd_institutions"] = [
            {"name": "先进材料研究所", "city": "太原市", "focus": "先进结构材料"},
            {"name": "智能装备研究所", "city": "晋中市", "focus": "智能制造装备"},
        ]
    return {
        "lead": lead,
        "cobuilders": {
            "items": [
                {
                    "name": "山西示范大学",
                    "credit_code": credit_code.generate(
                        "140100",
                        random.Random(7),  # nosec B311 # fixed demo data
                    ),
                    "org_type": "university",
                    "mode": "agreement",
                    "contribution": "联合攻关与人才培养",
                }
            ]
        },
        "director": {
            "name": "张建国",
            "title": "研究员",
            "title_level": "senior_full",
            "position": "总工程师",
            "field": "材料科学",
            "resume": "长期从事新材料研发，主持国家级项目多项。",
        },
        "team": {
            "size": 86,
            "composition": "博士32人，硕士40人，其他14人。",
            "key_members": [
                {"name": "李明", "title": "教授", "role": "技术负责人"},
                {"name": "王芳", "title": "高级工程师", "role": "成果转化负责人"},
            ],
        },
        "achievements": {
            "items": [
                {
                    "kind": "patent",
                    "title": "一种高纯材料制备方法",
                    "number": "ZL202110000001.2",
                    "date": "2023-05-10",
                },
                {
                    "kind": "standard",
                    "title": "材料检测规范",
                    "number": "T/SXS 001-2024",
                    "date": "2024-03-01",
                },
            ],
            "market_prospects": "产品可替代进口，市场规模持续扩大。",
        },
        "facilities": {
            "area_m2": area_m2,
            "equipment_value_wan": 3500,
            "major_instruments": "扫描电镜、X射线衍射仪等。",
            "venues": "研发楼一栋、中试车间两个。",
        },
        "governance": {
            "legal_entity_type": "enterprise",
            "transition_plan": "",
            "council": "设理事会，由牵头单位和共建单位代表组成。",
            "director_system": "实行中心主任负责制。",
            "expert_committee": "设专家委员会，提供咨询。",
            "charter": "章程已经理事会审议通过。",
        },
        "investment": {
            "lead_commitment_wan": 5000,
            "cobuilder_commitments": [{"name": "山西示范大学", "amount_wan": 800}],
            "public_services": ["技术委托研发", "检验检测", "人员培训"],
        },
        "targets": {
            "items": [
                {"key": key, "label": label, "unit": unit, "baseline": base, "target": target}
                for (key, (label, unit)), (base, target) in zip(
                    ((k, stored_standard_target(k)) for k in STANDARD_TARGET_KEYS),
                    [(1200, 3000), (86, 150), (20, 60), (2, 8), (3, 10), (500, 2000)],
                    strict=True,
                )
            ]
        },
        "declaration": {
            "compliant": True,
            "signed_by": "赵法人",
            "signed_on": datetime.date(2026, 1, 15).isoformat(),
        },
    }


# The industry field (Art. 7 code) that fits each demo plan's name.
DEMO_PLAN_FIELDS = {
    "半导体材料": "F01",
    "特种金属材料": "F03",
    "大数据": "F04",
    "光电信息": "F05",
    "煤机智能制造": "F06",
    "智能制造": "F06",
    "氢能装备": "F09",
    "新型储能": "F09",
}


def make_complete_plan(
    org,
    user,
    *,
    name: str = "半导体材料",
    kind: str = "domain",
    department=None,
    industry_field=None,
):
    """A draft Application of ``org`` with every section and required attachment filled.

    ``industry_field``: an IndustryField or its code (domain centers; default the first one).
    """
    from centers.models import IndustryField, StrategicArea

    if isinstance(industry_field, str):
        industry_field = IndustryField.objects.get(code=industry_field)
    if kind == "domain" and industry_field is None:
        industry_field = IndustryField.objects.current().order_by("order", "code").first()

    from . import services
    from .forms import default_department

    app = services.application_create(
        actor=user,
        name=name,
        kind=kind,
        industry_field=industry_field if kind == "domain" else None,
        strategic_areas=list(StrategicArea.objects.all()[:1]) if kind == "comprehensive" else [],
        department=department or default_department(org),
    )
    data = complete_plan_data(kind)
    for code, section in data.items():
        services.application_save_section(
            actor=user, application_id=app.pk, section=code, data=section
        )
    for att_kind, filename in REQUIRED_KINDS:
        upload = pdf_upload(filename)
        services.attachment_add(
            actor=user,
            application_id=app.pk,
            kind=att_kind,
            upload=upload,
            name=filename,
            content_type="application/pdf",
        )
    app.refresh_from_db()
    return app
