"""Annual reports: drafts, submit, the department's review, validation, overdue lists,
files, concurrency and the refused side of every URL."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from centers.models import AnnualReport
from centers.services import reports
from notifications.models import Message
from tests.factories import applicant, officer, reviewer
from tests.forms.browser import form_data

from .center_factories import TZ, designated_center
from .factories import PDF, pdf_upload

pytestmark = pytest.mark.django_db

BEFORE_DEADLINE = dt.datetime(2027, 2, 10, 10, 0, tzinfo=TZ)
AFTER_DEADLINE = dt.datetime(2027, 4, 15, 10, 0, tzinfo=TZ)

FIGURES = {
    "summary": "2026年完成关键材料中试。",
    "rd_spending_wan": "1234.50",
    "rd_staff": "85",
    "senior_talent": "6",
    "invention_patents": "12",
    "standards": "2",
    "new_products": "4",
    "results_transferred": "3",
    "transfer_income_wan": "300",
    "incubated_enterprises": "1",
    "service_income_wan": "560.25",
    "enterprises_served": "40",
    "shared_instruments": "18",
}


@pytest.fixture
def clock():
    with time_machine.travel(BEFORE_DEADLINE, tick=False) as traveller:
        yield traveller


@pytest.fixture
def center_and_staff(db):
    return designated_center()


def _start(client, center, staff, year=2026):
    client.force_login(staff)
    response = client.post(reverse("centers:report_create", args=[center.pk]), {"year": year})
    assert response.status_code == 302
    return AnnualReport.objects.get(center=center, year=year)


def test_write_submit_and_accept(
    client, clock, center_and_staff, django_capture_on_commit_callbacks
):
    center, staff = center_and_staff
    bureau_user = reviewer("太原市")
    report = _start(client, center, staff)
    edit = reverse("centers:report_edit", args=[report.pk])
    page = client.get(edit).content.decode()
    assert "研发投入（万元）" in page and "6000" in page  # next to the plan's three-year target
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {**FIGURES, "submit": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.rd_spending_wan == Decimal("1234.50")
    assert Message.objects.filter(recipient=bureau_user, subject__contains="2026年度报告").exists()

    client.force_login(bureau_user)
    detail = reverse("centers:report_detail", args=[report.pk])
    assert "560.25" in client.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("centers:report_decide", args=[report.pk]), {"decision": "accept"})
    report.refresh_from_db()
    assert report.status == "accepted" and report.decided_by == bureau_user
    assert Message.objects.filter(recipient=staff, subject__contains="通过").exists()
    actions = list(
        AuditEvent.objects.filter(target_id=str(report.pk), action__startswith="centers.report")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "centers.report_created",
        "centers.report_saved",
        "centers.report_submitted",
        "centers.report_accepted",
    ]


def test_negative_value_refused_with_the_field_named_and_the_rest_kept(
    client, clock, center_and_staff
):
    center, staff = center_and_staff
    report = _start(client, center, staff)
    edit = reverse("centers:report_edit", args=[report.pk])
    bad = {**FIGURES, "invention_patents": "-3", "rd_staff": "1.5", "save": ""}
    page = client.post(edit, bad).content.decode()
    assert "发明专利（件）不能为负数。" in page
    assert "研发人员（人）须为整数。" in page
    assert "2026年完成关键材料中试。" in page and "1234.50" in page  # the rest kept
    report.refresh_from_db()
    assert report.rd_spending_wan is None and report.summary == ""


def test_submit_with_gaps_lists_them_and_keeps_the_draft(client, clock, center_and_staff):
    center, staff = center_and_staff
    report = _start(client, center, staff)
    edit = reverse("centers:report_edit", args=[report.pk])
    data = {**FIGURES, "shared_instruments": "", "submit": ""}
    page = client.post(edit, data).content.decode()
    assert "提交前请填写：共享仪器设备。" in page
    report.refresh_from_db()
    assert report.status == "draft" and report.rd_staff == 85


def test_return_with_reasons_then_resubmit(client, clock, center_and_staff):
    center, staff = center_and_staff
    report = _start(client, center, staff)
    client.post(reverse("centers:report_edit", args=[report.pk]), {**FIGURES, "submit": ""})
    bureau_user = reviewer("太原市")
    with pytest.raises(reports.ReportError, match="退回修改时请填写理由"):
        reports.decide_report(actor=bureau_user, report_id=report.pk, decision="return")
    reports.decide_report(
        actor=bureau_user, report_id=report.pk, decision="return", reason="研发投入口径不一致。"
    )
    report.refresh_from_db()
    assert report.status == "returned" and report.is_editable
    client.force_login(staff)
    assert (
        "研发投入口径不一致。"
        in client.get(reverse("centers:report_edit", args=[report.pk])).content.decode()
    )
    reports.submit_report(actor=staff, report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "submitted"


def test_a_second_decision_gets_a_clear_message(client, clock, center_and_staff):
    center, staff = center_and_staff
    report = _start(client, center, staff)
    client.post(reverse("centers:report_edit", args=[report.pk]), {**FIGURES, "submit": ""})
    first, second = reviewer("太原市"), reviewer("太原市")
    reports.decide_report(actor=first, report_id=report.pk, decision="accept")
    client.force_login(second)
    response = client.post(
        reverse("centers:report_decide", args=[report.pk]),
        {"decision": "return", "reason": "晚到的退回"},
        follow=True,
    )
    assert "该年度报告已被处理（当前状态：已通过）" in response.content.decode()
    assert "您填写的意见（未保存）：晚到的退回" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "accepted" and report.decided_by == first


def test_one_report_per_center_and_year(clock, center_and_staff):
    center, staff = center_and_staff
    report = reports.create_report(actor=staff, center_id=center.pk, year=2026)
    assert reports.create_report(actor=staff, center_id=center.pk, year=2026) == report
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.create(center=center, year=2026, created_by=staff)
    with pytest.raises(reports.ReportError, match="不能填报2030年度的报告"):
        reports.create_report(actor=staff, center_id=center.pk, year=2030)


def test_files_checked_by_content_and_private(client, clock, center_and_staff):
    center, staff = center_and_staff
    report = _start(client, center, staff)
    edit = reverse("centers:report_edit", args=[report.pk])
    fake = pdf_upload("报告.pdf", b"not a pdf at all")
    page = client.post(edit, {**FIGURES, "files": fake, "save": ""}).content.decode()
    assert "内容不是 PDF 或图片" in page
    assert not report.files.exists()
    client.post(edit, {**FIGURES, "files": pdf_upload("年度报告.pdf"), "save": ""})
    item = report.files.get()
    url = reverse("centers:report_file", args=[report.pk, item.pk])
    assert b"".join(client.get(url).streaming_content) == PDF
    client.force_login(applicant())
    assert client.get(url).status_code == 404


def test_open_the_stored_report_and_save_unchanged_changes_nothing(client, clock, center_and_staff):
    center, staff = center_and_staff
    report = _start(client, center, staff)
    edit = reverse("centers:report_edit", args=[report.pk])
    client.post(edit, {**FIGURES, "save": ""})
    events = AuditEvent.objects.count()
    stored = AnnualReport.objects.filter(pk=report.pk).values().get()
    data = form_data(client.get(edit).content.decode(), "summary", button="save")
    assert data["rd_spending_wan"] == ["1234.50"]
    assert client.post(edit, data).status_code == 302
    assert AnnualReport.objects.filter(pk=report.pk).values().get() == stored
    assert AuditEvent.objects.count() == events


def test_overdue_reports_for_the_department_and_the_province(client, django_assert_num_queries):
    taiyuan, staff = designated_center()
    datong, _staff2 = designated_center("煤层气", city_code="140200")
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        reports.create_report(actor=staff, center_id=taiyuan.pk, year=2026)
        url = reverse("centers:report_overdue")
        client.force_login(reviewer("太原市"))
        page = client.get(url).content.decode()
        assert taiyuan.name in page and datong.name not in page
        assert "草稿" in page  # started, not submitted
        client.force_login(officer())
        page = client.get(url).content.decode()
        assert taiyuan.name in page and datong.name in page
        client.force_login(applicant())
        assert client.get(url).status_code == 403


def test_overdue_list_query_count_does_not_grow_with_rows(client):
    first, _ = designated_center("一号")
    user = officer()
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        client.force_login(user)
        url = reverse("centers:report_overdue")
        client.get(url)  # warm caches (content types, session)
        with CaptureQueriesContext(connection) as one:
            assert first.name in client.get(url).content.decode()
    for name in ("二号", "三号"):
        designated_center(name)
    with time_machine.travel(AFTER_DEADLINE, tick=False):
        with CaptureQueriesContext(connection) as many:
            page = client.get(url).content.decode()
        assert "三号" in page
    assert len(many.captured_queries) == len(one.captured_queries)


def test_refused_side_of_every_report_url(client, clock, center_and_staff):
    center, staff = center_and_staff
    report = _start(client, center, staff)
    client.post(reverse("centers:report_edit", args=[report.pk]), {**FIGURES, "submit": ""})
    report.refresh_from_db()
    stored = AnnualReport.objects.filter(pk=report.pk).values().get()
    posts = {
        reverse("centers:report_create", args=[center.pk]): {"year": 2025},
        reverse("centers:report_edit", args=[report.pk]): {**FIGURES, "rd_staff": "1"},
        reverse("centers:report_decide", args=[report.pk]): {"decision": "accept"},
    }
    gets = [
        reverse("centers:report_detail", args=[report.pk]),
        reverse("centers:report_edit", args=[report.pk]),
    ]
    for user in (applicant(), reviewer("大同市")):
        client.force_login(user)
        for url in gets:
            assert client.get(url).status_code == 404, url
        for url, data in posts.items():
            assert client.post(url, data).status_code == 404, url
    client.logout()
    for url in [*gets, *posts, reverse("centers:report_overdue")]:
        response = client.get(url) if url in gets else client.post(url, {})
        assert response.status_code == 302 and "/login/" in response.url
    # the center's own staff may not decide; the bureau may not create or edit
    client.force_login(staff)
    assert (
        client.post(
            reverse("centers:report_decide", args=[report.pk]), {"decision": "accept"}
        ).status_code
        == 403
    )
    client.force_login(reviewer("太原市"))
    assert (
        client.post(reverse("centers:report_create", args=[center.pk]), {"year": 2025}).status_code
        == 403
    )
    assert client.post(reverse("centers:report_edit", args=[report.pk]), FIGURES).status_code == 403
    assert AnnualReport.objects.filter(pk=report.pk).values().get() == stored
    assert AnnualReport.objects.filter(center=center).count() == 1


def test_my_tasks_show_the_report_due_and_the_report_to_review(client, clock, center_and_staff):
    from accounts.inbox import collect

    center, staff = center_and_staff
    bureau_user = reviewer("太原市")
    due = [t for t in collect(staff) if t.url.endswith(f"/center/{center.pk}/")]
    assert [(t.title, t.deadline) for t in due] == [(f"{center.name} 2026", dt.date(2027, 3, 31))]
    assert not [t for t in collect(bureau_user) if "/reports/" in t.url]
    report = reports.create_report(actor=staff, center_id=center.pk, year=2026)
    reports.save_report(actor=staff, report_id=report.pk, data=FIGURES)
    reports.submit_report(actor=staff, report_id=report.pk)
    review = [t for t in collect(bureau_user) if "/reports/" in t.url]
    assert [t.title for t in review] == [f"{center.name} 2026"]
    assert not [t for t in collect(reviewer("大同市")) if "/reports/" in t.url]
    # submitted: the next report due is the one on 2027, not due within 120 days
    assert not [t for t in collect(staff) if t.url.endswith(f"/center/{center.pk}/")]


def test_the_same_amount_typed_differently_is_no_change(clock, center_and_staff):
    center, staff = center_and_staff
    report = reports.create_report(actor=staff, center_id=center.pk, year=2026)
    assert reports.save_report(
        actor=staff, report_id=report.pk, data={"rd_spending_wan": Decimal("1234.50")}
    )
    events = AuditEvent.objects.count()
    assert not reports.save_report(
        actor=staff, report_id=report.pk, data={"rd_spending_wan": Decimal("1234.5")}
    )
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_in_two_threads_one_wins():
    import threading

    from django.db import close_old_connections

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads cannot share an in-memory SQLite database; CI runs this on PostgreSQL")
    center, staff = designated_center()
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        report = reports.create_report(actor=staff, center_id=center.pk, year=2026)
        reports.save_report(actor=staff, report_id=report.pk, data=FIGURES)
        reports.submit_report(actor=staff, report_id=report.pk)
    a, b = reviewer("太原市", username="t_rev_a"), reviewer("太原市", username="t_rev_b")
    barrier = threading.Barrier(2)
    outcome = {}

    def decide(user, decision, reason):
        try:
            barrier.wait(timeout=10)
            reports.decide_report(actor=user, report_id=report.pk, decision=decision, reason=reason)
            outcome[user.username] = "ok"
        except reports.ReportError as exc:
            outcome[user.username] = exc.messages[0]
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(a, "accept", "")),
        threading.Thread(target=decide, args=(b, "return", "请核实研发投入。")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(v == "ok" for v in outcome.values()) == [False, True], outcome
    assert "该年度报告已被处理" in next(v for v in outcome.values() if v != "ok")
    decisions = AuditEvent.objects.filter(
        target_id=str(report.pk), action__in=["centers.report_accepted", "centers.report_returned"]
    )
    assert decisions.count() == 1


def test_a_refused_decision_is_the_page_again_with_the_error_summary(
    client, clock, center_and_staff
):
    center, staff = center_and_staff
    report = _start(client, center, staff)
    client.post(reverse("centers:report_edit", args=[report.pk]), {**FIGURES, "submit": ""})
    client.force_login(reviewer("太原市"))
    response = client.post(
        reverse("centers:report_decide", args=[report.pk]), {"reason": "意见写了一半"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "error-summary" in html and 'href="#id_decision_0"' in html
    assert "意见写了一半" in html  # what was typed stays
    report.refresh_from_db()
    assert report.status == "submitted"


@pytest.mark.parametrize(
    ("posted", "error"), [({}, "请选择报告年度。"), ({"year": "1999"}, "1999")]
)
def test_starting_a_report_without_a_valid_year_is_the_center_page_again(
    client, clock, center_and_staff, posted, error
):
    center, staff = center_and_staff
    client.force_login(staff)
    response = client.post(reverse("centers:report_create", args=[center.pk]), posted)
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and 'href="#id_year"' in html
    assert error in html.split('id="id_year_error"')[1][:300]  # under the field, in Chinese
    assert '<option value="2026"' in html  # the years that can be chosen are offered again
    assert not AnnualReport.objects.filter(center=center).exists()
    assert not AuditEvent.objects.filter(action="centers.report_created").exists()
