"""Officer and reviewer lists: search and filters in the URL, paging, CSV / XLSX exports of
exactly the filtered rows, each department's own rows only, and background exports."""

from __future__ import annotations

import csv
import io
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import ExportJob, Organization
from applications.models import Application, Status
from documents.csv_export import write_xlsx
from tests.applications.review_factories import plan_in_recheck, submitted_plan
from tests.factories import OrganizationFactory, bureau, officer, reviewer

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(content: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


def _screen_names(html: str) -> list[str]:
    return re.findall(r'review/\d+/">(山西省[^<]+技术创新中心)</a>', html)


@pytest.fixture
def plans():
    ty = OrganizationFactory(name="太原碳材料有限公司", registered_city=bureau("太原市").city)
    dt = OrganizationFactory(name="大同煤机有限公司", registered_city=bureau("大同市").city)
    return {
        "ty1": plan_in_recheck(org=ty, name="碳基新材料"),
        "ty2": plan_in_recheck(org=OrganizationFactory(name="太原氢能有限公司"), name="氢能"),
        "dt": submitted_plan(org=dt, department=bureau("大同市"), name="煤机装备"),
    }


def test_filtered_export_holds_exactly_the_rows_on_screen(client, plans):
    client.force_login(officer())
    url = reverse("applications:review_inbox")
    params = {"state": "", "q": "碳"}
    html = client.get(url, params).content.decode()
    on_screen = _screen_names(html)
    assert on_screen == ["山西省碳基新材料技术创新中心"]
    assert 'value="碳"' in html  # the filter stays in the form …
    assert "q=%E7%A2%B3" in html and "export=xlsx" in html  # … and in the export links
    rows = _csv(client.get(url, {**params, "export": "csv"}))
    assert rows[0][:3] == ["申请编号", "创新中心名称", "牵头单位"]
    assert [r[1] for r in rows[1:]] == on_screen
    response = client.get(url, {**params, "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = _xlsx(response.content)
    assert sheet[0] == rows[0]
    assert [r[1] for r in sheet[1:]] == on_screen
    # the organization's credit code finds the plan too
    code = plans["ty2"].organization.credit_code
    assert _screen_names(client.get(url, {"state": "", "q": code}).content.decode()) == [
        "山西省氢能技术创新中心"
    ]


def test_a_city_bureau_lists_and_exports_only_its_own_department(client, plans):
    client.force_login(reviewer("大同市"))
    url = reverse("applications:review_inbox")
    html = client.get(url, {"state": ""}).content.decode()
    assert _screen_names(html) == ["山西省煤机装备技术创新中心"]
    rows = _csv(client.get(url, {"state": "", "export": "csv"}))
    assert [r[1] for r in rows[1:]] == ["山西省煤机装备技术创新中心"]
    # asking for another department's plans by filter gives nothing, never them
    other = plans["ty1"].department_id
    rows = _csv(client.get(url, {"state": "", "department": other, "export": "csv"}))
    assert rows[1:] == []


def test_a_refused_filter_keeps_what_was_typed_and_says_why(client, plans):
    client.force_login(officer())
    html = client.get(
        reverse("applications:review_inbox"),
        {"state": "", "submitted_from": "2026-05-01", "submitted_to": "2026-04-01"},
    ).content.decode()
    assert "截止日期不能早于起始日期。" in html
    assert 'value="2026-05-01"' in html


def test_xlsx_cells_are_formula_safe_and_xml_safe():
    stream = io.BytesIO()
    write_xlsx(stream, ["名称", "数"], [['=HYPERLINK("x")', 3], ["a\x00b", None]], title="t")
    rows = _xlsx(stream.getvalue())
    assert rows == [["名称", "数"], ['\'=HYPERLINK("x")', 3], ["ab", None]]


def _bulk_plans(n: int, template: Application) -> None:
    Application.objects.bulk_create(
        [
            Application(
                organization=template.organization,
                department=template.department,
                created_by=template.created_by,
                name=f"批量{i}",
                kind=template.kind,
                industry_field=template.industry_field,
                status=Status.PROVINCE_RECHECK,
                submitted_at=template.submitted_at,
            )
            for i in range(n)
        ]
    )


def test_list_and_export_queries_do_not_grow_with_rows(client, plans):
    client.force_login(officer())
    url = reverse("applications:review_inbox")
    client.get(url)  # the filter's city, department and field options are cached from now on
    counts = []
    for extra in (0, 60):
        _bulk_plans(extra, plans["ty1"])
        for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, params).status_code == 200
            counts.append(len(ctx.captured_queries))
    assert counts[:3] == counts[3:]


def test_every_list_searches_and_exports(client, plans):
    """Each registered officer list answers a search and both exports with its headings."""
    from accounts import listing

    user = officer()
    client.force_login(user)
    pages = {
        "plans": reverse("applications:review_inbox"),
        "experts": reverse("reviews:expert_list"),
        "panels": reverse("reviews:panel_inbox"),
        "organizations": reverse("registration_pending"),
        "meetings": reverse("centers:meeting_list"),
        "notices": reverse("centers:notice_list"),
        "objections": reverse("centers:objection_list"),
        "centers": reverse("centers:center_list"),
        "changes": reverse("centers:change_list"),
        "reports": reverse("centers:report_overdue"),
    }
    for name, url in pages.items():
        headers = listing.get(name).headers()
        assert client.get(url, {"q": "无此名称"}).status_code == 200, name
        assert _csv(client.get(url, {"q": "x", "export": "csv"}))[0] == headers, name
        assert _xlsx(client.get(url, {"export": "xlsx"}).content)[0] == headers, name


def test_organizations_list_filters_by_status_and_department(client):
    ty = bureau("太原市")
    pending = OrganizationFactory(
        name="太原待核验有限公司", status=Organization.Status.PENDING, verifying_department=ty
    )
    OrganizationFactory(
        name="太原已核验有限公司", status=Organization.Status.VERIFIED, verifying_department=ty
    )
    client.force_login(reviewer("太原市"))
    url = reverse("registration_pending")
    html = client.get(url).content.decode()
    assert pending.name in html and "太原已核验有限公司" not in html
    rows = _csv(client.get(url, {"status": "", "export": "csv"}))
    assert {r[0] for r in rows[1:]} == {"太原待核验有限公司", "太原已核验有限公司"}
    client.force_login(reviewer("大同市"))
    assert _csv(client.get(url, {"status": "", "export": "csv"}))[1:] == []


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_long_export_runs_on_the_worker_and_is_private(client, settings, celery_worker_process):
    settings.EXPORT_ASYNC_ROWS = 1  # the view's threshold; the worker only writes the file
    plans = [plan_in_recheck(name=name) for name in ("碳基新材料", "氢能")]
    user = officer(username="export_officer")
    client.force_login(user)
    url = reverse("applications:review_inbox")
    response = client.get(url, {"state": "", "export": "xlsx"}, follow=True)
    assert "正在后台生成「建设方案」" in response.content.decode()
    job = ExportJob.objects.get(user=user)
    deadline = time.monotonic() + 60
    while job.status == ExportJob.Status.QUEUED and time.monotonic() < deadline:
        time.sleep(0.3)
        job.refresh_from_db()
    assert job.status == ExportJob.Status.READY and job.rows == 2
    try:
        # the message and My tasks lead to the file
        link = reverse("export_download", args=[job.pk])
        from notifications.models import Message

        assert Message.objects.filter(
            recipient=user, link=link, subject__startswith="导出文件已生成：建设方案（2 行）"
        ).exists()
        home = client.get("/").content.decode()
        assert "导出文件待下载" in home and link in home
        # another officer does not get it
        other = officer(username="export_other")
        client.force_login(other)
        assert client.get(link).status_code == 404
        client.force_login(user)
        download = client.get(link)
        sheet = _xlsx(b"".join(download.streaming_content))
        assert sheet[0][1] == "创新中心名称"
        assert sorted(r[1] for r in sheet[1:]) == sorted(p.full_name for p in plans)
        # once downloaded it leaves My tasks; pressing the task again is harmless
        assert "导出文件待下载" not in client.get("/").content.decode()
        from accounts.tasks import run_export

        assert run_export(job.pk) == 2
        assert ExportJob.objects.filter(user=user).count() == 1
    finally:
        job.file.delete(save=False)


def test_badge_count_is_cached_until_a_state_change(client, settings, plans):
    settings.INBOX_COUNT_SECONDS = 60
    user = officer()
    client.force_login(user)
    url = reverse("notifications:list")
    first = client.get(url).content.decode()
    assert 'data-testid="phone-task-count">2<' in first
    with CaptureQueriesContext(connection) as cached:
        client.get(url)
    with CaptureQueriesContext(connection) as uncached:
        settings.INBOX_COUNT_SECONDS = 0
        client.get(url)
    assert len(cached.captured_queries) < len(uncached.captured_queries)
    settings.INBOX_COUNT_SECONDS = 60
    assert 'data-testid="phone-task-count">2<' in client.get(url).content.decode()
    plan_in_recheck(name="第三个")  # a state change (audit events): every count is stale
    assert 'data-testid="phone-task-count">3<' in client.get(url).content.decode()
