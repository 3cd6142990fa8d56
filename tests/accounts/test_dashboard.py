"""The dashboard: figures from aggregate queries, the same numbers in the table, the chart
data and the CSV; a department reviewer sees only its department's; the query count does
not grow with the number of plans."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import dashboard
from applications.models import Application, Status
from audit.models import AuditEvent
from centers.models import Center, IndustryField
from tests.factories import OrganizationFactory, UserFactory, bureau, officer, reviewer

pytestmark = pytest.mark.django_db


def _plans(n: int, *, department, status=Status.DEPT_REVIEW, prefix="批量") -> list[Application]:
    org = OrganizationFactory()
    user = UserFactory(organization=org, roles=["applicant"])
    field = IndustryField.objects.order_by("pk").first()
    when = timezone.make_aware(dt.datetime(2026, 3, 10, 10))
    return Application.objects.bulk_create(
        [
            Application(
                organization=org,
                department=department,
                created_by=user,
                name=f"{prefix}{i}",
                kind="domain",
                industry_field=field,
                status=status,
                submitted_at=when,
            )
            for i in range(n)
        ]
    )


def _centers(apps: list[Application], *, city) -> None:
    Center.objects.bulk_create(
        [
            Center(
                application=app,
                number=f"SXTIC-2026-{app.pk:03d}",
                name=app.full_name,
                kind=app.kind,
                industry_field=app.industry_field,
                lead_organization=app.organization,
                department=app.department,
                city=city,
                designated_on=dt.date(2026, 5, 20),
            )
            for app in apps
        ]
    )


def _stays(apps) -> None:
    """Each plan: 组织管理部门审核 from 2026-03-02 (Mon) to 2026-03-09 (Mon): 5 working days."""
    ct = ContentType.objects.get_for_model(Application)
    for day, state in ((2, Status.DEPT_REVIEW), (9, Status.PROVINCE_RECHECK)):
        with time_machine.travel(timezone.make_aware(dt.datetime(2026, 3, day, 10)), tick=False):
            AuditEvent.objects.bulk_create(
                [
                    AuditEvent(
                        action="application.x", target_type=ct, target_id=str(a.pk), to_state=state
                    )
                    for a in apps
                ]
            )


def _chart_data(html: str) -> dict:
    raw = re.search(
        r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S
    )
    return {c["key"]: c for c in json.loads(raw.group(1))}


def _table(html: str, key: str) -> list[list[str]]:
    block = re.search(
        rf'<table class="table table-sm mb-0" data-table="{key}">(.*?)</table>', html, re.S
    )
    body = block.group(1).split("<tbody>")[1]
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in body.split("</tr>") if "<t" in row
    ]


def _csv(client, key) -> list[list[str]]:
    response = client.get(reverse("dashboard_csv", args=[key]))
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def world(calendar_years):
    ty, dt_ = bureau("太原市"), bureau("大同市")
    ty_plans = _plans(3, department=ty, prefix="太原")
    dt_plans = _plans(2, department=dt_, status=Status.PUBLICITY, prefix="大同")
    _centers(ty_plans[:2], city=ty.city)
    calendar_years(2026)
    _stays(ty_plans)
    return {"ty": ty_plans, "dt": dt_plans}


def test_table_chart_data_and_csv_hold_the_same_numbers(client, world):
    client.force_login(officer())
    html = client.get(reverse("dashboard")).content.decode()
    data = _chart_data(html)
    by_state = dict((r[0], r[1]) for r in data["plans-by-state"]["rows"])
    assert by_state["组织管理部门审核"] == 3 and by_state["公示"] == 2
    for key in ("plans-by-state", "centers-by-city", "per-month", "days-per-step", "overdue"):
        table = _table(html, key)
        rows = _csv(client, key)
        assert rows[0] == data[key]["columns"], key
        as_text = [["—" if v is None else str(v) for v in row] for row in data[key]["rows"]]
        assert table == as_text, key
        assert [["—" if v == "" else v for v in row] for row in rows[1:]] == as_text, key
    assert dict((r[0], r[1]) for r in data["per-month"]["rows"] if r[0] == "2026-03") == {
        "2026-03": 5
    }
    steps = {r[0]: r for r in data["days-per-step"]["rows"]}
    assert steps["组织管理部门审核"][1:] == [5.0, 3]
    assert steps["公示"][1:] == [None, 0]


def test_a_city_bureau_sees_only_its_department(client, world):
    client.force_login(reviewer("大同市"))
    html = client.get(reverse("dashboard")).content.decode()
    assert "大同市科学技术局" in html
    data = _chart_data(html)
    by_state = dict((r[0], r[1]) for r in data["plans-by-state"]["rows"])
    assert by_state["公示"] == 2 and by_state["组织管理部门审核"] == 0
    assert data["centers-by-city"]["rows"] == []
    assert _csv(client, "centers-by-city")[1:] == []
    steps = {r[0]: r for r in _csv(client, "days-per-step")[1:]}
    assert steps["组织管理部门审核"][2] == "0"


def test_others_are_refused(client, world):
    for user in (UserFactory(roles=["applicant"]), UserFactory(roles=["expert"])):
        client.force_login(user)
        assert client.get(reverse("dashboard")).status_code == 403
        assert client.get(reverse("dashboard_csv", args=["plans-by-state"])).status_code == 403
    client.force_login(officer())
    assert client.get(reverse("dashboard_csv", args=["no-such-chart"])).status_code == 404


@pytest.mark.query_count
def test_query_count_is_the_same_at_10_and_at_many_plans(client, calendar_years):
    ty = bureau("太原市")
    client.force_login(officer())
    # a first page fills the process's ContentType cache (else the count depends on the
    # tests that ran before in the same process)
    assert client.get(reverse("dashboard")).status_code == 200
    counts = []
    for n in (10, 300):
        apps = _plans(n, department=ty, prefix=f"第{n}批")
        _centers(apps[: n // 2], city=ty.city)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("dashboard")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_an_app_adds_a_chart_and_overdue_rows_merge(client, monkeypatch, world):
    monkeypatch.setattr(dashboard, "_providers", dict(dashboard._providers))

    def grades(scope):
        return [
            dashboard.Chart("grades", "评估结果", "pie", ("等级", "中心数"), (("优秀", 1),)),
            dashboard.Chart("overdue", "逾期事项", "hbar", ("事项", "件数"), (("整改逾期", 2),)),
        ]

    client.force_login(officer())
    before = _chart_data(client.get(reverse("dashboard")).content.decode())
    dashboard.register(grades)
    data = _chart_data(client.get(reverse("dashboard")).content.decode())
    assert data["grades"]["rows"] == [["优秀", 1]]
    assert data["overdue"]["rows"][-1] == ["整改逾期", 2]
    assert len(data["overdue"]["rows"]) == len(before["overdue"]["rows"]) + 1
