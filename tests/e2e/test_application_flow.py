"""A construction plan from registration to expert review, in a real Chromium.

A new organization registers (and first types an invalid credit code), the bureau
verifies it, the applicant creates the plan, sees the eligibility errors, fixes them and
submits; the bureau returns it, the applicant resubmits, the bureau approves, the province
passes it to expert review, and the timeline shows every step with actor and time.

Arranged outside the browser (to keep the test short): the plan sections other than
director and facilities, and the six required attachments, are saved through the
applicant side's services, as the section forms would.
"""

import random
import re

import pytest
from playwright.sync_api import expect

from accounts import credit_code
from accounts.models import Organization, User
from applications import services
from applications.models import Application
from applications.testing import REQUIRED_KINDS, complete_plan_data, pdf_upload
from audit.models import AuditEvent
from tests.factories import officer, reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo-pass-2026"


def _staff():
    bureau = reviewer("太原市", username="e2e_bureau", last_name="赵", first_name="审核")
    province = officer(username="e2e_officer", last_name="孙", first_name="复核")
    return bureau, province


def _logout(page):
    page.context.clear_cookies()


def _register(page, live_server, tmp_path):
    good = credit_code.generate("140100", random.Random(4242))
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(pdf_upload().read())

    page.goto(f"{live_server.url}/accounts/register/")
    page.fill("input[name=name]", "山西晋新材料科技有限公司")
    page.fill("input[name=credit_code]", bad)
    page.select_option("select[name=org_type]", "enterprise")
    page.select_option("select[name=registered_province]", "山西省")
    page.select_option("select[name=registered_city]", label="太原市")
    page.fill("input[name=address]", "太原市小店区科创路8号")
    page.fill("input[name=contact_name]", "刘联系")
    page.fill("input[name=contact_phone]", "0351-7654321")
    page.fill("input[name=contact_email]", "contact@jinxin.example.com")
    page.set_input_files("input[name=licence]", str(licence))
    page.fill("input[name=username]", "jinxin")
    page.fill("input[name=last_name]", "刘")
    page.fill("input[name=first_name]", "申报")
    page.fill("input[name=email]", "liu@jinxin.example.com")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()

    # invalid credit code: refused in Chinese, what was typed is kept
    body = page.locator("body")
    expect(body).to_contain_text("统一社会信用代码校验位错误")
    assert page.input_value("input[name=name]") == "山西晋新材料科技有限公司"
    assert page.input_value("input[name=credit_code]") == bad
    assert not Organization.objects.filter(name="山西晋新材料科技有限公司").exists()

    page.fill("input[name=credit_code]", good)
    page.set_input_files("input[name=licence]", str(licence))  # browsers never keep files
    for name in ("password1", "password2"):
        page.fill(f"input[name={name}]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()
    expect(body).to_contain_text("注册成功")
    return Organization.objects.get(credit_code=good)


def _verify(page, live_server, login, org):
    login(page, live_server, "e2e_bureau")
    page.goto(f"{live_server.url}/accounts/register/pending/")
    page.get_by_role("link", name=org.name).first.click()
    page.check("input[name=decision][value=verify]")
    with page.expect_navigation():
        page.locator("main form [type=submit]").last.click()
    org.refresh_from_db()
    assert org.status == Organization.Status.VERIFIED, page.locator("main").inner_text()
    _logout(page)


def _create_plan(page, live_server, login, org):
    login(page, live_server, "jinxin")
    page.goto(f"{live_server.url}/applications/new/")
    page.fill("input[name=name]", "碳基新材料")
    page.select_option("select[name=kind]", "domain")
    page.select_option("select[name=industry_field]", index=1)
    page.locator("form [type=submit]").last.click()
    page.wait_for_url(re.compile(r"/applications/\d+/"))
    app = Application.objects.get(organization=org, name="碳基新材料")

    # the other sections and the attachments, saved as the section forms save them
    user = User.objects.get(username="jinxin")
    data = complete_plan_data("domain", area_m2=800)
    data["director"]["title_level"] = "senior_deputy"
    for code, section in data.items():
        services.application_save_section(
            actor=user, application_id=app.pk, section=code, data=section
        )
    for kind, filename in REQUIRED_KINDS:
        services.attachment_add(
            actor=user,
            application_id=app.pk,
            kind=kind,
            upload=pdf_upload(filename),
            name=filename,
            content_type="application/pdf",
        )
    return app


def _fix_and_submit(page, live_server, app):
    base = f"{live_server.url}/applications/{app.pk}"
    page.goto(f"{base}/submit/")
    problems = page.locator("#eligibility-problems")
    expect(problems).to_contain_text("中心主任应具有正高级专业技术职称")
    expect(problems).to_contain_text("使用面积应不少于1000平方米")
    expect(page.locator("main form button[type=submit]")).to_be_disabled()

    page.goto(f"{base}/edit/director/")
    page.select_option("select[name='f-title_level']", "senior_full")
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    page.goto(f"{base}/edit/facilities/")
    page.fill("input[name='f-area_m2']", "2600")
    with page.expect_navigation():
        page.locator("button[name=save]").click()

    page.goto(f"{base}/submit/")
    expect(page.locator("#eligibility-problems")).to_have_count(0)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/applications/{app.pk}/$"))
    app.refresh_from_db()
    assert app.status == "dept_review"


def _decide(page, live_server, app, action, opinion=""):
    page.goto(f"{live_server.url}/applications/review/{app.pk}/")
    page.check(f"input[name=action][value={action}]")
    if opinion:
        page.fill("textarea[name=opinion]", opinion)
    page.locator(".review-decision button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("已提交处理意见")


def test_plan_from_registration_to_expert_review(page, live_server, login, tmp_path):
    _staff()
    org = _register(page, live_server, tmp_path)
    _logout(page)
    _verify(page, live_server, login, org)
    app = _create_plan(page, live_server, login, org)
    _fix_and_submit(page, live_server, app)
    _logout(page)

    # the bureau sees it in its inbox and returns it with reasons
    login(page, live_server, "e2e_bureau")
    page.goto(f"{live_server.url}/applications/review/")
    expect(page.locator("table.review-inbox")).to_contain_text("山西省碳基新材料技术创新中心")
    page.get_by_role("link", name="山西省碳基新材料技术创新中心").click()
    expect(page.locator("#version-heading")).to_contain_text("第1版")
    # a return without reasons is refused in Chinese
    page.check("input[name=action][value=return_plan]")
    page.locator(".review-decision button[type=submit]").click()
    expect(page.locator(".review-decision")).to_contain_text("请填写退回修改的理由。")
    _decide(page, live_server, app, "return_plan", "请补充共建单位的出资证明。")
    _logout(page)

    # the applicant reads the reasons and resubmits
    login(page, live_server, "jinxin")
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    expect(page.locator("body")).to_contain_text("请补充共建单位的出资证明。")
    page.goto(f"{live_server.url}/applications/{app.pk}/submit/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/applications/{app.pk}/$"))
    _logout(page)

    # the bureau approves version 2, the province passes it to expert review
    login(page, live_server, "e2e_bureau")
    page.goto(f"{live_server.url}/applications/review/{app.pk}/")
    expect(page.locator("#version-heading")).to_contain_text("第2版")
    _decide(page, live_server, app, "approve", "材料齐全，同意推荐。")
    _logout(page)
    login(page, live_server, "e2e_officer")
    page.goto(f"{live_server.url}/applications/review/")
    expect(page.locator("table.review-inbox")).to_contain_text("山西省碳基新材料技术创新中心")
    _decide(page, live_server, app, "pass_recheck")

    app.refresh_from_db()
    assert app.status == "expert_review"
    timeline = page.locator(".audit-timeline")
    steps = [
        ("提交建设方案", "刘申报"),
        ("退回修改", "赵审核"),
        ("重新提交", "刘申报"),
        ("审核通过", "赵审核"),
        ("复核通过", "孙复核"),
    ]
    for label, actor in steps:
        item = timeline.locator("li", has_text=label).first
        expect(item).to_contain_text(actor)
        expect(item.locator("time")).to_have_text(re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"))
    actions = list(
        AuditEvent.objects.filter(target_id=str(app.pk), action__startswith="application.")
        .exclude(from_state="")  # state changes only, not section saves and uploads
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "application.submit",
        "application.return_plan",
        "application.resubmit",
        "application.approve",
        "application.pass_recheck",
    ]
