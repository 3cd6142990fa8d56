"""Browser test of issue 10 (Art. 15): the center files a rename, the bureau approves, the
province approves; the registry shows the new and the former name, the request's timeline
shows each step, the approval PDF names both names. A rejected request changes nothing."""

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from centers.models import Center
from centers.models_changes import CenterChangeRequest
from tests.centers.change_factories import dept_user, make_center
from tests.centers.factories import PDF
from tests.factories import officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OLD = "山西省碳基新材料技术创新中心"
NEW = "山西省碳基先进材料技术创新中心"
SHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/e2e-screenshots"))


@pytest.fixture
def eager_celery():
    """The approval document, queued on commit, is issued in the test process."""
    from config.celery import app

    old = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = old


def _as(browser, live_server, login, username):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, live_server, username)
    return page


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"changes-{name}.png"), full_page=True)


def _decide(page, base, center_name, decision, opinion):
    page.goto(f"{base}/centers/changes/")
    with page.expect_navigation():
        page.locator("table.change-requests tr", has_text=center_name).get_by_role(
            "link"
        ).first.click()
    page.check(f"input[name=decision][value={decision}]")
    page.fill("textarea[name=opinion]", opinion)
    with page.expect_navigation():
        page.click("form[action$='/decide/'] button[type=submit]")


def test_rename_through_bureau_and_province_then_registry_and_pdf(
    browser, live_server, login, settings, tmp_path, eager_celery
):
    settings.MEDIA_ROOT = tmp_path / "media"
    center = make_center()
    staff = center._test_staff
    dept_user(center, username="e2e_bureau", last_name="王", first_name="科长")
    officer(username="e2e_province", last_name="孙", first_name="处长")
    base = live_server.url

    # 1. the lead organization files the rename from its center page
    page = _as(browser, live_server, login, staff.username)
    page.goto(f"{base}/centers/center/{center.pk}/")
    section = page.locator("#center-changes")
    assert "重大事项变更" in section.inner_text()
    with page.expect_navigation():
        section.get_by_role("link", name="提出变更申请").click()
    page.select_option("select[name=kind]", "rename")
    page.fill("input[name=new_name]", "碳基先进材料中心")  # not the official form
    page.fill(
        "textarea[name=reasons]", "中心研究领域拓展至先进碳材料全产业链，原名称已不能准确反映。"
    )
    with page.expect_navigation():
        page.click("#change-form button[type=submit]")
    body = page.locator("body").inner_text()
    assert "山西省××技术创新中心" in body
    assert "先进碳材料全产业链" in page.input_value("textarea[name=reasons]")  # kept
    page.fill("input[name=new_name]", NEW)
    page.set_input_files(
        "input[name=attachments]",
        files=[{"name": "更名请示.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    with page.expect_navigation():
        page.click("#change-form button[type=submit]")
    _shot(page, "1-draft")
    with page.expect_navigation():
        page.click("form[action$='/submit/'] button[type=submit]")
    assert "待组织管理部门审核" in page.locator("#change-status").inner_text()
    page.context.close()

    # 2. the Taiyuan bureau approves, 3. the province approves
    bureau = _as(browser, live_server, login, "e2e_bureau")
    _decide(bureau, base, OLD, "approve", "材料齐全，同意报省科技厅。")
    assert "待省科技厅批准" in bureau.locator("#change-status").inner_text()
    bureau.context.close()
    province = _as(browser, live_server, login, "e2e_province")
    _decide(province, base, OLD, "approve", "同意更名。")
    assert "已批准" in province.locator("#change-status").inner_text()
    document_cell = province.locator("#approval-document").inner_text()
    assert "晋科发〔" in document_cell
    _shot(province, "2-approved")

    # the approval PDF, downloaded as the officer: both names, the number, Art. 15
    with province.expect_download() as download:
        province.locator("#approval-document a").click()
    data = Path(download.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    text = text.replace(" ", "").replace("\n", "")
    request = CenterChangeRequest.objects.get()
    assert OLD in text and NEW in text and request.approval_document.number in text
    assert "第十五条" in text

    # the public registry: the new name and the former one, with the applied change
    province.context.close()
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/centers/registry/")
    row = public.locator("tbody tr", has_text=NEW)
    assert OLD in row.inner_text()
    public.goto(f"{base}/centers/registry/{center.number}/")
    detail = public.locator("main").inner_text()
    assert NEW in detail and OLD in detail and "变更记录" in detail
    _shot(public, "3-registry")
    public.context.close()

    # the timeline as the center's staff read it: each step
    page = _as(browser, live_server, login, staff.username)
    page.goto(f"{base}/centers/changes/{request.pk}/")
    timeline = page.locator(".audit-timeline").inner_text()
    for step in ("起草更名申请", "提交变更申请", "组织管理部门审核同意", "省科技厅批准变更"):
        assert step in timeline
    _shot(page, "4-timeline")
    page.goto(f"{base}/centers/center/{center.pk}/")
    section = page.locator("#center-changes").inner_text()
    assert NEW in section and OLD in section and "已批准" in section
    page.locator("#center-changes").screenshot(path=str(SHOTS / "changes-6-center-page.png"))
    page.context.close()
    assert Center.objects.get(pk=center.pk).name == NEW


def test_a_rejected_request_changes_nothing(browser, live_server, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    center = make_center()
    dept_user(center, username="e2e_bureau2")
    before = (center.name, center.main_direction)
    page = _as(browser, live_server, login, center._test_staff.username)
    page.goto(f"{base_url(live_server)}/centers/center/{center.pk}/changes/new/")
    page.select_option("select[name=kind]", "direction")
    page.fill("textarea[name=new_direction]", "碳纤维及复合材料")
    page.fill("textarea[name=reasons]", "产业需求变化，研究方向需要调整为碳纤维方向。")
    with page.expect_navigation():
        page.click("#change-form button[type=submit]")
    with page.expect_navigation():
        page.click("form[action$='/submit/'] button[type=submit]")
    page.context.close()
    bureau = _as(browser, live_server, login, "e2e_bureau2")
    _decide(bureau, base_url(live_server), center.name, "reject", "调整理由不充分，不同意。")
    assert bureau.locator("#change-status").inner_text() == "未通过"
    _shot(bureau, "5-rejected")
    bureau.context.close()
    center.refresh_from_db()
    assert (center.name, center.main_direction) == before
    assert CenterChangeRequest.objects.get().status == "rejected"


def base_url(live_server):
    return live_server.url
