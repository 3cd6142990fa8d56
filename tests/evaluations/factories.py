"""Designated centers and evaluations for the evaluation tests, built cheaply: a center row
with its application, lead organization and object permissions (centers.permissions), without
going through the meeting and publicity (tests/centers cover those)."""

from __future__ import annotations

import datetime as dt
import itertools

from accounts.models import Organization, User
from applications.models import Application
from centers.models import Center, CenterKind
from centers.models_reports import AnnualReport, ReportStatus
from centers.permissions import grant_center
from tests.factories import OrganizationFactory, UserFactory, applicant, bureau, valid_credit_code

_numbers = itertools.count(1)

TARGETS = [
    {"key": "patents", "label": "发明专利", "unit": "件", "baseline": 10, "target": 40},
    {
        "key": "rd_spending_wan",
        "label": "研发投入",
        "unit": "万元",
        "baseline": 2000,
        "target": 6000,
    },
    {"key": "staff", "label": "研发人员", "unit": "人", "baseline": 50, "target": 100},
    {"key": "standards", "label": "标准", "unit": "项", "baseline": 0, "target": 5},
    {"key": "incubated_enterprises", "label": "孵化企业", "unit": "家", "baseline": 0, "target": 6},
    {
        "key": "service_income_wan",
        "label": "技术服务收入",
        "unit": "万元",
        "baseline": 0,
        "target": 900,
    },
]


def make_center(*, designated_on=dt.date(2023, 12, 1), status="active", org=None, staff=True):
    """(center, staff user or None)."""
    n = next(_numbers)
    org = org or OrganizationFactory()
    user = applicant(org) if staff else None
    dept = bureau("太原市")
    app = Application.objects.create(
        organization=org,
        department=dept,
        created_by=user or User.objects.create(username=f"creator{n}"),
        name=f"评估测试{n}",
        kind=CenterKind.DOMAIN,
        status="designated",
    )
    center = Center.objects.create(
        application=app,
        number=f"SXTIC-T-{n:05d}",
        name=f"山西省评估测试{n}技术创新中心",
        kind=CenterKind.DOMAIN,
        lead_organization=org,
        department=dept,
        designated_on=designated_on,
        status=status,
        targets=TARGETS,
        cobuilders=[{"name": "山西共建大学", "credit_code": ""}],
    )
    grant_center(center)
    return center, user


def institution(name="山西第三方评估研究院", **kw):
    org = OrganizationFactory(
        name=name,
        org_type=Organization.Type.THIRD_PARTY_EVALUATOR,
        credit_code=valid_credit_code("140100"),
        **kw,
    )
    user = UserFactory(organization=org, roles=["evaluator"])
    return org, user


REPORT_VALUES = {
    "rd_spending_wan": 2000,
    "rd_staff": 90,
    "senior_talent": 8,
    "invention_patents": 12,
    "standards": 2,
    "new_products": 3,
    "results_transferred": 4,
    "transfer_income_wan": 300,
    "incubated_enterprises": 2,
    "service_income_wan": 300,
    "enterprises_served": 40,
    "shared_instruments": 25,
}


def annual_reports(center, user, years, **overrides):
    for year in years:
        AnnualReport.objects.create(
            center=center,
            year=year,
            status=ReportStatus.ACCEPTED,
            summary=f"{year}年度工作总结",
            created_by=user,
            **{**REPORT_VALUES, **overrides},
        )
