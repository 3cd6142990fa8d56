"""Demo data of the three-year evaluation (called by ``seed_demo`` after centers). Idempotent.

The demo's designated center is too young for an evaluation, so the demo adds three centers
of the Taiyuan lead organization designated in 2023, before the platform (存量中心, entered as
data: a center row, its name, profile and object permissions), with their accepted annual
reports of 2023–2025 written through centers.services.reports. Their evaluations then go
through evaluations.services, so that after ``make run``:

- the evaluator (山西示范科技评估中心) has 「山西省半导体材料技术创新中心」 to score;
- the officer has 「山西省碳基新材料技术创新中心」 to decide and the rectification of
  「山西省光伏新材料技术创新中心」 to follow up (its report is in);
- the applicant has the self-report of 「山西省第三代半导体技术创新中心」 to fill in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organization
from applications.models import Application
from centers.models import Center, CenterKind, CenterName
from centers.models_reports import AnnualReport
from centers.services import profile, reports
from evaluations.models import Evaluation, EvaluationStatus, RectificationStatus
from evaluations.services import commissioning, credit, decisions, scheduling, scoring, self_reports

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)
TARGETS = [
    {
        "key": "rd_spending_wan",
        "label": "研发投入",
        "unit": "万元",
        "baseline": 1500,
        "target": 7500,
    },
    {"key": "staff", "label": "研发人员", "unit": "人", "baseline": 60, "target": 100},
    {"key": "patents", "label": "发明专利", "unit": "件", "baseline": 8, "target": 40},
    {"key": "standards", "label": "标准", "unit": "项", "baseline": 1, "target": 6},
    {"key": "incubated_enterprises", "label": "孵化企业", "unit": "家", "baseline": 0, "target": 6},
    {
        "key": "service_income_wan",
        "label": "技术服务收入",
        "unit": "万元",
        "baseline": 200,
        "target": 1500,
    },
]
# (name ××, designated on, number, the step its evaluation is brought to, figures scale)
CENTERS = [
    ("第三代半导体", dt.date(2023, 11, 28), "SXTIC-2023-004", "commissioned", 1.0),
    ("半导体材料", dt.date(2023, 10, 20), "SXTIC-2023-003", "evaluating", 1.0),
    ("碳基新材料", dt.date(2023, 8, 15), "SXTIC-2023-002", "proposed", 1.1),
    ("光伏新材料", dt.date(2023, 5, 10), "SXTIC-2023-001", "rectification", 0.5),
]
FIGURES = {
    "rd_spending_wan": "2300.00",
    "rd_staff": 92,
    "senior_talent": 9,
    "invention_patents": 12,
    "standards": 2,
    "new_products": 4,
    "results_transferred": 3,
    "transfer_income_wan": "450.00",
    "incubated_enterprises": 2,
    "service_income_wan": "420.00",
    "enterprises_served": 45,
    "shared_instruments": 28,
}


def _say(ctx, text):
    out = ctx.get("stdout")
    if out is not None:
        out.write(f"  evaluations: {text}")


def _pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _legacy_center(name, designated_on, number, org, staff, department):
    full = f"山西省{name}技术创新中心"
    center = Center.objects.filter(name=full).first()
    if center is not None:
        return center
    app = Application.objects.create(
        organization=org,
        department=department,
        created_by=staff,
        name=name,
        kind=CenterKind.DOMAIN,
        status=Application.Status.DESIGNATED,
        plan={"note": "平台上线前认定的中心，按存量数据录入"},
    )
    center = Center.objects.create(
        application=app,
        number=number,
        name=full,
        kind=CenterKind.DOMAIN,
        lead_organization=org,
        department=department,
        city=org.registered_city,
        main_direction=f"{name}关键共性技术研发与成果转化",
        designated_on=designated_on,
        targets=TARGETS,
        cobuilders=[{"name": "太原理工大学"}],
        director={"name": "陈主任", "title": "教授级高级工程师"},
    )
    CenterName.objects.create(center=center, name=full, valid_from=designated_on, note="认定")
    profile.initialise_profile(center)
    return center


def _scaled(scale):
    out = {}
    for key, value in FIGURES.items():
        number = Decimal(str(value)) * Decimal(str(scale))
        out[key] = number.quantize(Decimal("0.01")) if isinstance(value, str) else int(number)
    return out


def _reports(center, staff, bureau, scale):
    for year in (2023, 2024, 2025):
        report = reports.create_report(actor=staff, center_id=center.pk, year=year)
        if report.is_editable:
            data = {"summary": f"{year}年度中心建设运行总结。", **_scaled(scale)}
            reports.save_report(actor=staff, report_id=report.pk, data=data)
            reports.submit_report(actor=staff, report_id=report.pk)
            report.refresh_from_db()
        if report.status == AnnualReport.Status.SUBMITTED:
            reports.decide_report(actor=bureau, report_id=report.pk, decision="accept")


def _advance(evaluation, step, *, officer, staff, evaluator, institution, today):
    if evaluation.status == EvaluationStatus.OPENED:
        commissioning.commission(
            actor=officer,
            evaluation_ids=[evaluation.pk],
            institution_id=institution.pk,
            self_report_deadline=today + dt.timedelta(days=30),
            evaluation_deadline=today + dt.timedelta(days=75),
        )
    if step == "commissioned":
        return
    evaluation.refresh_from_db()
    if evaluation.status == EvaluationStatus.COMMISSIONED:
        self_reports.save_self_report(
            actor=staff,
            evaluation_id=evaluation.pk,
            self_assessment="三年来中心围绕建设方案推进关键技术攻关、人才引进和成果转化，"
            "主要目标基本完成，研发投入略低于计划。",
            values={},
            uploads=[_pdf("自评材料.pdf")],
        )
        self_reports.submit_self_report(actor=staff, evaluation_id=evaluation.pk)
        credit.record_credit_check(
            actor=officer,
            evaluation_id=evaluation.pk,
            result="passed",
            source="信用中国、科研诚信管理信息系统",
            checked_on=today - dt.timedelta(days=1),
        )
    if step == "evaluating":
        return
    evaluation.refresh_from_db()
    if evaluation.status == EvaluationStatus.EVALUATING:
        manual = Decimal("0.8") if step == "proposed" else Decimal("0.4")
        scores = {
            r.indicator.pk: ((r.indicator.points * manual).quantize(Decimal("0.01")), "")
            for r in scoring.rows(evaluation)
            if not r.by_rule
        }
        scoring.save_scores(
            actor=evaluator,
            evaluation_id=evaluation.pk,
            scores=scores,
            findings="中心运行总体规范；研发投入和孵化企业未达三年目标。",
        )
        scoring.propose(actor=evaluator, evaluation_id=evaluation.pk, report=_pdf("评估报告.pdf"))
    if step == "proposed":
        return
    evaluation.refresh_from_db()
    if evaluation.status == EvaluationStatus.PROPOSED:
        decisions.decide(
            actor=officer,
            evaluation_id=evaluation.pk,
            outcome="rectify",
            grade=evaluation.proposed_grade,
            note="",
            requirements="一年内补足研发投入，完善理事会和专家委员会运行，提交整改报告。",
            deadline=today + dt.timedelta(days=300),
        )
    item = getattr(Evaluation.objects.get(pk=evaluation.pk), "rectification", None)
    if item is not None and item.status == RectificationStatus.REQUIRED:
        decisions.submit_rectification(
            actor=staff,
            evaluation_id=evaluation.pk,
            report="已追加研发投入1200万元，理事会每季度召开，专家委员会完成换届。",
            uploads=[_pdf("整改报告.pdf")],
        )


def seed(ctx):
    users = ctx.get("users") or {}
    needed = ("applicant", "reviewer_ty", "officer", "evaluator")
    if any(name not in users for name in needed):
        _say(ctx, "demo users missing; nothing seeded\n")
        return
    staff, bureau, officer = users["applicant"], users["reviewer_ty"], users["officer"]
    evaluator = users["evaluator"]
    institution = Organization.objects.get(pk=evaluator.organization_id)
    org = staff.organization
    today = timezone.localdate()
    for name, designated_on, number, step, scale in CENTERS:
        center = _legacy_center(name, designated_on, number, org, staff, bureau.department)
        _reports(center, staff, bureau, scale)
        evaluation = Evaluation.objects.filter(center=center).order_by("-cycle").first()
        if evaluation is None:
            evaluation = scheduling.open_evaluation(actor=officer, center_id=center.pk)
        _advance(
            evaluation,
            step,
            officer=officer,
            staff=staff,
            evaluator=evaluator,
            institution=institution,
            today=today,
        )
    _say(ctx, "four evaluations: to self-report, to score, to decide, to follow up\n")
