"""Browser test of issue 5: meeting → publicity → objection → dismissal → designation → registry."""

import datetime as dt
import re

import pytest

from centers.models import Center, Objection, PublicityNotice
from centers.tasks import designate_due
from tests.centers.factories import PDF, plan_awaiting_meeting, png_bytes
from tests.factories import officer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("calendar_known_ahead"),
]


@pytest.fixture
def eager_celery():
    """Tasks queued on commit (the designation notice) run in the test process."""
    from config.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = old


def test_meeting_publicity_objection_designation_registry(
    page, browser, live_server, login, settings, tmp_path, eager_celery
):
    settings.MEDIA_ROOT = tmp_path / "media"
    officer(username="e2e_officer", last_name="孙", first_name="处长")
    app = plan_awaiting_meeting(name="半导体")
    base = live_server.url

    # 1. the office meeting approves the plan
    login(page, live_server, "e2e_officer")
    page.goto(f"{base}/centers/office/meetings/")
    page.fill("input[name=title]", "2026年第12次厅务会议")
    page.fill("input[name=held_on]", "2026-09-25")
    with page.expect_navigation():
        page.click("form:has(input[name=title]) button[type=submit]")
    page.check(f"input[name=applications][value='{app.pk}']")
    with page.expect_navigation():
        page.click("form[action$='/agenda/'] button[type=submit]")
    item_radio = page.locator("input[type=radio][value=approve]").first
    item_radio.check()
    with page.expect_navigation():
        page.click("form[action$='/decide/'] button[type=submit]")
    assert "会议结束时统一执行" in page.locator("body").inner_text()
    page.set_input_files(
        "input[name=minutes]",
        files=[{"name": "纪要.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    with page.expect_navigation():
        page.click("form[action$='/minutes/'] button[type=submit]")
    with page.expect_navigation():
        page.click("form[action$='/close/'] button[type=submit]")
    assert "各项决定已执行" in page.locator("body").inner_text()

    # 2. a notice is published (today, 5 working days)
    page.goto(f"{base}/centers/office/publicity/new/")
    page.check(f"input[name=applications][value='{app.pk}']")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "公示已发布" in page.locator("main").inner_text()
    notice = PublicityNotice.objects.get()

    # 3. an anonymous visitor reads it and files an objection
    visitor_context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    visitor = visitor_context.new_page()
    visitor.set_viewport_size({"width": 390, "height": 844})  # a phone
    visitor.goto(f"{base}/centers/public/")
    with visitor.expect_navigation():
        visitor.click(f"text={notice.title}")
    body = visitor.locator("body").inner_text()
    assert "关于山西省半导体技术创新中心拟认定名单的公示" in body
    assert app.organization.name in body
    with visitor.expect_navigation():
        visitor.click("a[href$='/object/']")
    visitor.check("input[name=objector_kind][value=person]")
    visitor.fill("input[name=name]", "刘实名")
    visitor.fill("input[name=organization]", "太原某大学")
    visitor.fill("input[name=phone]", "13800001234")
    visitor.fill("input[name=address]", "山西省太原市迎泽区某路1号")
    visitor.fill("textarea[name=reasons]", "申报材料所列专利并非牵头单位所有，证据见附件。请核查。")
    visitor.set_input_files(
        "input[name=statement]",
        files=[{"name": "声明.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    visitor.set_input_files(
        "input[name=evidence]",
        files=[{"name": "证据.png", "mimeType": "image/png", "buffer": png_bytes()}],
    )
    visitor.check("input[name=confirm]")
    with visitor.expect_navigation():
        visitor.click("main form button[type=submit]")
    receipt = visitor.locator("#receipt-number").inner_text().strip()
    assert re.fullmatch(r"YY\d{14}", receipt)
    objection = Objection.objects.get(receipt_number=receipt)

    # 4. the officer dismisses it
    page.goto(f"{base}/centers/office/objections/")
    with page.expect_navigation():
        page.click(f"text={receipt}")
    assert "刘实名" in page.locator("body").inner_text()
    page.check("input[name=decision][value=dismiss]")
    page.fill("textarea[name=reason]", "经核实专利权属清楚，异议不成立。")
    with page.expect_navigation():
        page.click("form[action$='/resolve/'] button[type=submit]")
    objection.refresh_from_db()
    assert objection.status == "dismissed"

    # the visitor sees the status, never the identity
    visitor.goto(f"{base}/centers/public/objections/status/")
    visitor.fill("input[name=receipt_number]", receipt)
    visitor.fill("input[name=phone_last4]", "1234")
    with visitor.expect_navigation():
        visitor.click("main form button[type=submit]")
    status_text = visitor.locator("#objection-status").inner_text()
    assert "异议不成立" in status_text and "刘实名" not in status_text

    # 5. the period is over (moved before the test clock's today) and the task designates
    PublicityNotice.objects.filter(pk=notice.pk).update(
        start_date=dt.date(2026, 5, 25), end_date=dt.date(2026, 5, 29)
    )
    [center_id] = designate_due()
    center = Center.objects.get(pk=center_id)

    # 6. the registry lists the center
    visitor.goto(f"{base}/centers/registry/")
    assert center.name in visitor.locator("body").inner_text()
    with visitor.expect_navigation():
        visitor.click(f"text={center.name}")
    assert center.number in visitor.locator("body").inner_text()
    visitor_context.close()

    # 7. the officer downloads the designation notice (or, before the documents work lands,
    #    the publicity notice PDF)
    page.goto(f"{base}/centers/registry/{center.number}/")
    link = page.locator("#designation-notice a")
    if link.count():
        with page.expect_download() as download:
            link.first.click()
        assert download.value.suggested_filename.endswith(".pdf")
        assert re.search(r"〔\d{4}〕\d+号", page.locator("#designation-notice").inner_text())
    else:
        response = page.request.get(f"{base}/centers/public/notices/{notice.pk}/pdf/")
        assert response.ok and response.body().startswith(b"%PDF")
