"""A construction plan from registration to expert review, in a real Chromium.

A new organization registers with a province outside Shanxi (and first types an invalid
credit code, refused in Chinese); the provincial S&T department verifies it; the
applicant creates the plan (a co-builder's invalid credit code is refused on the
co-builders form) and on submit sees the eligibility errors: director without a full
senior title, area under 1000 m², organization outside Shanxi. The applicant fixes the
plan sections and corrects the organization's registered place to 山西省/太原市 in the
browser; the organization goes back to verification, now by the Taiyuan bureau, which
re-verifies it; the applicant submits; the bureau returns it, the applicant resubmits,
the bureau approves, the province passes it to expert review, and the timelines show
every step with actor and time.

The credit-code rule cannot fail at submit: an invalid code is refused where it is typed
(registration, organization change, co-builder rows), so it never reaches a plan.

Arranged outside the browser (to keep the test short): the plan sections other than
co-builders, director and facilities, and the six required attachments, are saved
through the applicant side's services, as the section forms would.
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
    good = credit_code.generate("130100", random.Random(4242))
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    licence = tmp_path / "营业执照.pdf"
    licence.write_bytes(pdf_upload().read())

    page.goto(f"{live_server.url}/accounts/register/")
    page.fill("input[name=name]", "山西晋新材料科技有限公司")
    page.fill("input[name=credit_code]", bad)
    page.select_option("select[name=org_type]", "enterprise")
    page.select_option("select[name=registered_province]", "河北省")
    page.fill("input[name=address]", "石家庄市长安区中山东路8号")
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
    expect(body).to_contain_text("山西省科学技术厅")  # outside Shanxi: the province verifies
    org = Organization.objects.get(credit_code=good)
    assert org.registered_province == "河北省" and org.registered_city is None
    return org


def _verify(page, live_server, login, org, username, *, changes=()):
    login(page, live_server, username)
    page.goto(f"{live_server.url}/accounts/register/pending/")
    page.get_by_role("link", name=org.name).first.click()
    for label, before, after in changes:
        row = page.locator(".organization-changes tbody tr", has_text=label)
        expect(row.locator(".change-old")).to_have_text(before)
        expect(row.locator(".change-new")).to_have_text(after)
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

    # outside Shanxi, the plan goes by default to the provincial S&T department
    assert app.department.name == "山西省科学技术厅"

    # the other sections and the attachments, saved as the section forms save them
    user = User.objects.get(username="jinxin")
    data = complete_plan_data("domain", area_m2=800)
    data["director"]["title_level"] = "senior_deputy"
    del data["cobuilders"]  # typed in the browser below
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

    # a co-builder with an invalid credit code: refused in Chinese, the row is kept
    cobuilder = complete_plan_data("domain")["cobuilders"]["items"][0]
    good = cobuilder["credit_code"]
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    page.goto(f"{live_server.url}/applications/{app.pk}/edit/cobuilders/")
    page.fill("input[name='items-0-name']", cobuilder["name"])
    page.fill("input[name='items-0-credit_code']", bad)
    page.select_option("select[name='items-0-org_type']", cobuilder["org_type"])
    page.select_option("select[name='items-0-mode']", cobuilder["mode"])
    page.fill("input[name='items-0-contribution']", cobuilder["contribution"])
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    expect(page.locator("#formset-items")).to_contain_text("统一社会信用代码校验位错误")
    assert page.input_value("input[name='items-0-name']") == cobuilder["name"]
    assert page.input_value("input[name='items-0-credit_code']") == bad
    app.refresh_from_db()
    assert "cobuilders" not in app.plan
    page.fill("input[name='items-0-credit_code']", good)
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    app.refresh_from_db()
    assert app.plan["cobuilders"]["items"][0]["credit_code"] == good
    return app


def _fix_and_submit(page, live_server, login, app):
    base = f"{live_server.url}/applications/{app.pk}"
    page.goto(f"{base}/submit/")
    problems = page.locator("#eligibility-problems")
    expect(problems).to_contain_text("中心主任应具有正高级专业技术职称")
    expect(problems).to_contain_text("使用面积应不少于1000平方米")
    expect(problems).to_contain_text("牵头单位应在山西省内注册登记（当前登记地：河北省）")
    expect(problems.locator("li")).to_have_count(3)
    expect(page.locator("main form button[type=submit]")).to_be_disabled()

    page.goto(f"{base}/edit/director/")
    page.select_option("select[name='f-title_level']", "senior_full")
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    page.goto(f"{base}/edit/facilities/")
    page.fill("input[name='f-area_m2']", "2600")
    with page.expect_navigation():
        page.locator("button[name=save]").click()

    # the organization's registered place: from the problem to the lead section, and
    # from there to the organization's change form
    page.goto(f"{base}/submit/")
    expect(page.locator("#eligibility-problems li")).to_have_count(1)
    page.locator("#eligibility-problems li.rule-lead_in_shanxi a").click()
    page.wait_for_url(re.compile(rf"/applications/{app.pk}/edit/lead/$"))
    page.locator(".organization-edit-hint a").click()
    page.wait_for_url(re.compile(r"/accounts/organizations/\d+/edit/$"))
    assert page.input_value("select[name=registered_province]") == "河北省"
    page.select_option("select[name=registered_province]", "山西省")
    page.fill("input[name=address]", "太原市小店区科创路8号")
    with page.expect_navigation():
        page.locator("form.organization-edit button[type=submit]").click()
    # a Shanxi organization needs its city: refused in Chinese, the rest is kept
    expect(page.locator("form.organization-edit")).to_contain_text(
        "山西省内单位请选择注册地所在的市。"
    )
    assert page.input_value("select[name=registered_province]") == "山西省"
    assert page.input_value("input[name=address]") == "太原市小店区科创路8号"
    page.select_option("select[name=registered_city]", label="太原市")
    with page.expect_navigation():
        page.locator("form.organization-edit button[type=submit]").click()
    body = page.locator("body")
    expect(body).to_contain_text("单位信息已变更，已提交太原市科学技术局重新核验")
    expect(body).to_contain_text("组织管理部门已随注册地改为太原市科学技术局")
    expect(page.locator("main")).to_contain_text("山西省太原市")
    org = app.organization
    org.refresh_from_db()
    assert (org.registered_province, org.registered_city.name) == ("山西省", "太原市")
    assert org.status == Organization.Status.PENDING
    app.refresh_from_db()
    assert app.department.name == "太原市科学技术局"

    # until the bureau verifies the change, submission waits for it alone
    page.goto(f"{base}/submit/")
    problems = page.locator("#eligibility-problems")
    expect(problems).to_contain_text("核验通过后方可提交")
    expect(problems.locator("li")).to_have_count(1)
    expect(page.locator("main form button[type=submit]")).to_be_disabled()
    _logout(page)

    _verify(
        page,
        live_server,
        login,
        org,
        "e2e_bureau",
        changes=[
            ("注册地（省级）", "河北省", "山西省"),
            ("注册地（市）", "—", "太原市"),
            ("单位地址", "石家庄市长安区中山东路8号", "太原市小店区科创路8号"),
        ],
    )

    login(page, live_server, "jinxin")
    page.goto(f"{base}/submit/")
    expect(page.locator("#eligibility-problems")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("太原市科学技术局")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/applications/{app.pk}/$"))
    app.refresh_from_db()
    assert app.status == "dept_review"

    # the organization's own history: registration, both verifications and the change
    page.goto(f"{live_server.url}/accounts/organizations/{org.pk}/")
    timeline = page.locator(".audit-timeline")
    for label, actor in [
        ("单位注册", "刘申报"),
        ("单位核验通过", "孙复核"),
        ("变更单位信息", "刘申报"),
        ("单位核验通过", "赵审核"),
    ]:
        item = timeline.locator("li", has_text=label).filter(has_text=actor).first
        expect(item.locator("time")).to_have_text(re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"))


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
    _verify(page, live_server, login, org, "e2e_officer")
    app = _create_plan(page, live_server, login, org)
    _fix_and_submit(page, live_server, login, app)
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
