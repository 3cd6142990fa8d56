"""Demo data of the designated center's own work (called from centers.demo). Idempotent.

After ``seed_demo`` 「山西省特种金属材料技术创新中心」 has its profile (initialised from the
plan at designation, with an expert committee and described public services added through
the profile service), an accepted annual report on the year before designation (the plan's
base year) and a submitted one on the designation year, waiting for the Taiyuan bureau.
Every step goes through centers.services; a second run finds everything done and writes
nothing.
"""

from __future__ import annotations

from .models import AnnualReport
from .services import profile, reports

REPORT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)
EXPERTS = [
    ("expert_committee", "周材料", "教授、专家委员会主任", "太原理工大学"),
    ("expert_committee", "吴冶金", "研究员", "山西省冶金科学研究院"),
    ("council", "郑理事", "理事长", "太原示范半导体材料有限公司"),
]
SERVICE_NOTES = {
    "检验检测": "金属材料成分、组织与力学性能检验检测，对省内企业开放。",
    "人员培训": "面向企业技术人员的特种金属材料工艺培训。",
}
FIGURES = {
    "accepted": {
        "summary": "完成高温合金中试线建设，形成两项企业标准，服务省内装备制造企业。",
        "rd_spending_wan": "2150.00",
        "rd_staff": 86,
        "senior_talent": 7,
        "invention_patents": 9,
        "standards": 2,
        "new_products": 3,
        "results_transferred": 2,
        "transfer_income_wan": "420.00",
        "incubated_enterprises": 1,
        "service_income_wan": "380.50",
        "enterprises_served": 36,
        "shared_instruments": 24,
    },
    "submitted": {
        "summary": "认定当年组建专家委员会，新增发明专利授权，开放共享仪器设备。",
        "rd_spending_wan": "2680.00",
        "rd_staff": 95,
        "senior_talent": 8,
        "invention_patents": 14,
        "standards": 3,
        "new_products": 4,
        "results_transferred": 3,
        "transfer_income_wan": "615.00",
        "incubated_enterprises": 2,
        "service_income_wan": "512.30",
        "enterprises_served": 48,
        "shared_instruments": 31,
    },
}


def _profile(center, staff):
    profile.ensure_profile(center)
    snap = profile.snapshot(center)
    members = list(snap["members"])
    names = {m["name"] for m in members}
    for body, name, position, affiliation in EXPERTS:
        if name not in names:
            members.append(
                {"body": body, "name": name, "position": position, "affiliation": affiliation}
            )
    services = [
        {"name": s["name"], "description": s["description"] or SERVICE_NOTES.get(s["name"], "")}
        for s in snap["services"]
    ]
    data = {k: snap[k] for k in profile.PROFILE_FIELDS}
    data["transition_planned_on"] = data["transition_planned_on"] or None
    profile.update_profile(
        actor=staff, center_id=center.pk, data=data, members=members, services=services
    )


def _file(year):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(f"{year}年度报告.pdf", REPORT_PDF, content_type="application/pdf")


def _report(center, staff, year, figures):
    report = reports.create_report(actor=staff, center_id=center.pk, year=year)
    if report.is_editable:
        uploads = [] if report.files.exists() else [_file(year)]
        reports.save_report(actor=staff, report_id=report.pk, data=figures, uploads=uploads)
        reports.submit_report(actor=staff, report_id=report.pk)
        report.refresh_from_db()
    return report


def seed(ctx, center) -> None:
    users = ctx.get("users") or {}
    staff, bureau = users.get("applicant"), users.get("reviewer_ty")
    if center is None or staff is None or bureau is None:
        return
    _profile(center, staff)
    year = center.designated_on.year
    accepted = _report(center, staff, year - 1, FIGURES["accepted"])
    if accepted.status == AnnualReport.Status.SUBMITTED:
        reports.decide_report(
            actor=bureau, report_id=accepted.pk, decision="accept", reason="数据完整，同意。"
        )
    _report(center, staff, year, FIGURES["submitted"])
