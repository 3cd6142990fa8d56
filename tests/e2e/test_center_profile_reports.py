"""Browser test of issue 10 (profile and annual reports): the center's staff edit the profile
and submit the annual report; the Taiyuan bureau accepts it. Screenshots in SHOTS."""

import datetime as dt
import os
from pathlib import Path

import pytest
import time_machine

from centers.models import AnnualReport, GovernanceMember
from tests.centers.center_factories import TZ, designated_center
from tests.factories import reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("E2E_SHOTS", "/tmp/e2e-center-profile"))
FIGURES = {
    "rd_spending_wan": "1500.5",
    "rd_staff": "60",
    "senior_talent": "5",
    "invention_patents": "8",
    "standards": "1",
    "new_products": "2",
    "results_transferred": "2",
    "transfer_income_wan": "210",
    "incubated_enterprises": "1",
    "service_income_wan": "330",
    "enterprises_served": "25",
    "shared_instruments": "12",
}


def test_staff_edit_profile_submit_report_bureau_accepts(
    page, live_server, login, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    center, staff = designated_center()
    bureau_user = reviewer("太原市", username="e2e_bureau")
    base = live_server.url
    with time_machine.travel(dt.datetime(2027, 2, 10, 9, 0, tzinfo=TZ), tick=True):
        login(page, live_server, staff.username)
        page.get_by_role("link", name="我的中心").first.click()
        page.wait_for_url(f"**/centers/center/{center.pk}/")
        body = page.locator("body").inner_text()
        assert center.number in body and "2026年度报告" in body and "2027年3月31日" in body
        page.screenshot(path=str(SHOTS / "1-my-center.png"), full_page=True)

        page.get_by_role("link", name="维护中心概况").click()
        page.fill("input[name=contact_phone]", "0351-7777777")
        page.select_option("select[name=members-1-body]", "expert_committee")
        page.fill("input[name=members-1-name]", "赵专家")
        page.fill("input[name=members-1-affiliation]", "太原理工大学")
        page.fill("input[name=services-0-description]", "材料成分检验检测")
        page.screenshot(path=str(SHOTS / "2-profile-form.png"), full_page=True)
        with page.expect_navigation():
            page.click("#profile-form button[name=save]")
        body = page.locator("body").inner_text()
        assert "中心概况已保存" in body and "赵专家" in body and "0351-7777777" in body
        assert GovernanceMember.objects.filter(center=center, name="赵专家").exists()

        with page.expect_navigation():
            page.click("text=开始填报年度报告")
        page.fill("textarea[name=summary]", "完成中试线建设。")
        for name, value in FIGURES.items():
            page.fill(f"input[name={name}]", value)
        page.fill("input[name=invention_patents]", "-8")
        with page.expect_navigation():
            page.click("#report-form button[name=save]")
        body = page.locator("body").inner_text()
        assert "发明专利（件）不能为负数。" in body
        assert page.input_value("input[name=rd_spending_wan]") == "1500.5"
        page.screenshot(path=str(SHOTS / "3-report-error.png"), full_page=True)
        page.fill("input[name=invention_patents]", "8")
        with page.expect_navigation():
            page.click("#report-form button[name=submit]")
        assert "已提交，待审核" in page.locator("#report-status").inner_text()
        page.screenshot(path=str(SHOTS / "4-report-submitted.png"), full_page=True)

        page.context.clear_cookies()
        login(page, live_server, bureau_user.username)
        page.get_by_role("link", name="年度报告").first.click()
        page.wait_for_url("**/centers/reports/overdue/")
        with page.expect_navigation():
            page.locator("#to-review a").first.click()
        body = page.locator("body").inner_text()
        assert "1500.50" in body and "完成中试线建设。" in body
        page.check("input[name=decision][value=accept]")
        page.fill("textarea[name=reason]", "数据完整。")
        page.screenshot(path=str(SHOTS / "5-bureau-review.png"), full_page=True)
        with page.expect_navigation():
            page.click("#decision-form button[type=submit]")
        assert page.locator("#report-status").inner_text() == "已通过"
        page.screenshot(path=str(SHOTS / "6-accepted.png"), full_page=True)
    report = AnnualReport.objects.get(center=center, year=2026)
    assert report.status == "accepted" and report.decided_by == bureau_user
    assert base
