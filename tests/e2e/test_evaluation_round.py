"""Browser test of issue 11 (Art. 14): the beat task opens an evaluation, the officer
commissions an institution and records the credit check, the center submits its self-report,
the evaluator scores and submits, the officer decides rectify, the center reports, the
follow-up retains. Screenshots in SHOTS."""

import datetime as dt
import os
import zoneinfo
from pathlib import Path

import pytest
import time_machine

from centers.models import Center
from evaluations.models import Evaluation
from evaluations.tasks import open_due_evaluations
from tests.evaluations.factories import annual_reports, institution, make_center
from tests.evaluations.helpers import PDF
from tests.factories import officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.dates]

SHOTS = Path(os.environ.get("E2E_SHOTS", "/tmp/e2e-evaluation"))
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def _as(browser, live_server, login, username):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, live_server, username)
    return page


def _submit(page, selector):
    with page.expect_navigation():
        page.click(selector)
    return page.locator("body").inner_text()


def test_the_whole_round_in_the_browser(browser, live_server, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    SHOTS.mkdir(parents=True, exist_ok=True)
    center, staff = make_center(designated_on=dt.date(2023, 12, 1))
    annual_reports(center, staff, [2023, 2024, 2025])
    province = officer(username="e2e_officer")
    org, evaluator = institution()
    evaluator.username = "e2e_evaluator"
    evaluator.save()
    base = live_server.url
    with time_machine.travel(dt.datetime(2026, 11, 16, 9, 0, tzinfo=TZ), tick=True):
        (pk,) = open_due_evaluations.apply(args=["2026-11-16"]).get()
        office = _as(browser, live_server, login, province.username)
        office.goto(f"{base}/evaluations/commission/")
        office.check(f"input[name=evaluations][value='{pk}']")
        office.select_option("select[name=institution]", str(org.pk))
        office.screenshot(path=str(SHOTS / "1-commission.png"), full_page=True)
        body = _submit(office, "#commission-form button[type=submit]")
        assert "已委托1项评估" in body
        office.goto(f"{base}/evaluations/{pk}/credit/")
        office.check("input[name=result][value=passed]")
        office.fill("input[name=source]", "信用中国")
        office.fill("input[name=checked_on]", "2026-11-15")
        assert "信用核查结果已记录" in _submit(office, "#action-form button[type=submit]")

        center_page = _as(browser, live_server, login, staff.username)
        center_page.goto(f"{base}/evaluations/{pk}/")
        with center_page.expect_navigation():
            center_page.click("text=填报自评报告")
        center_page.fill("input[name=value_invention_patents]", "40")
        body = _submit(center_page, "#self-report-form button[name=save]")
        assert "请填写修改理由" in body  # refused, and what was typed is kept
        assert center_page.input_value("input[name=value_invention_patents]") == "40"
        center_page.fill("input[name=reason_invention_patents]", "2023年另有4件授权漏报")
        center_page.fill("textarea[name=self_assessment]", "三年来中心完成了建设方案的主要任务。")
        center_page.screenshot(path=str(SHOTS / "2-self-report.png"), full_page=True)
        assert "自评报告已提交" in _submit(center_page, "#self-report-form button[name=submit]")

        work = _as(browser, live_server, login, evaluator.username)
        work.goto(f"{base}/evaluations/assigned/")
        with work.expect_navigation():
            work.click("text=评分")
        for field in work.locator("input[name^=score_]").all():
            field.fill("3")
        work.fill("textarea[name=findings]", "研发投入未达目标，其余基本完成。")
        work.set_input_files(
            "input[name=report]",
            files=[{"name": "评估报告.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
        work.screenshot(path=str(SHOTS / "3-score.png"), full_page=True)
        assert "评估结果已提交" in _submit(work, "#score-form button[name=submit]")
        evaluation = Evaluation.objects.get(pk=pk)
        assert evaluation.status == "proposed" and evaluation.total_score is not None

        office.goto(f"{base}/evaluations/{pk}/decide/")
        office.select_option("select[name=grade]", evaluation.proposed_grade)
        office.check("input[name=outcome][value=rectify]")
        office.fill("textarea[name=requirements]", "补足研发投入，完善理事会运行。")
        office.fill("input[name=deadline]", "2027-11-16")
        office.screenshot(path=str(SHOTS / "4-decide.png"), full_page=True)
        assert "决定已保存" in _submit(office, "#action-form button[type=submit]")
        assert Center.objects.get(pk=center.pk).status == "rectifying"

        center_page.goto(f"{base}/evaluations/{pk}/")
        with center_page.expect_navigation():
            center_page.click("text=提交整改报告")
        center_page.fill("textarea[name=report]", "已追加研发投入，理事会按季度召开。")
        assert "整改报告已提交" in _submit(center_page, "#action-form button[type=submit]")

        office.goto(f"{base}/evaluations/{pk}/follow-up/")
        office.check("input[name=outcome][value=retain]")
        assert "复核结论已保存" in _submit(office, "#action-form button[type=submit]")
        office.goto(f"{base}/centers/center/{center.pk}/")
        history = office.locator("#evaluation-history").inner_text()
        assert "整改" in history and "复核：保留" in history
        office.screenshot(path=str(SHOTS / "5-center-history.png"), full_page=True)
    assert Center.objects.get(pk=center.pk).status == "active"
    assert Evaluation.objects.get(pk=pk).rectification.status == "followed_up"
