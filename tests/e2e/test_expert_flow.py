"""Browser: an officer forms a panel, three experts score, the chair writes the opinion,
the officer concludes, the applicant submits the improved plan (real Chromium)."""

import re

import pytest

from applications.models import Application
from reviews.models import Panel
from tests.factories import officer
from tests.reviews.factories import expert, plan_in_expert_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _logout(page):
    page.context.clear_cookies()


def test_expert_review_from_panel_to_improved_plan(page, live_server, login, settings):
    settings.REVIEWS_MIN_PANEL_SIZE = 3
    app = plan_in_expert_review()
    applicant = app.created_by
    officer(username="e2e_officer")
    expert("technical", username="e2e_tech", employer_name="太原理工大学")
    expert("management", username="e2e_mgmt", employer_name="山西省科学技术情报研究院")
    expert("financial", username="e2e_fin", employer_name="山西会计师事务所")

    # the officer forms the panel
    login(page, live_server, "e2e_officer")
    page.goto(f"{live_server.url}/reviews/panels/")
    assert "山西省半导体材料技术创新中心" in page.inner_text("main")
    page.click(f"a[href='/reviews/applications/{app.pk}/panel/new/']")
    page.fill("input[name=size]", "3")
    page.fill("input[name=n_technical]", "1")
    page.fill("input[name=n_management]", "1")
    page.fill("input[name=n_financial]", "1")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    panel = Panel.objects.get(application=app)
    assert page.url.endswith(f"/reviews/panels/{panel.pk}/")
    assert page.locator("form.replace-form").count() == 3
    chair = panel.members.get(kind="technical")
    page.select_option("form.chair-form select[name=member]", str(chair.pk))
    with page.expect_navigation():
        page.click("form.chair-form button[type=submit]")
    _logout(page)

    # three experts accept, declare no conflict and score
    for i, username in enumerate(["e2e_tech", "e2e_mgmt", "e2e_fin"]):
        login(page, live_server, username)
        page.goto(f"{live_server.url}/reviews/my/")
        with page.expect_navigation():
            page.click("table.my-panels a")
        with page.expect_navigation():
            page.click("form:has(input[name=decision][value=accept]) button")
        page.check("input[name=conflict][value=no]")
        with page.expect_navigation():
            page.click("div.conflict-card button[type=submit]")
        assert re.search(r"/reviews/my/\d+/score/$", page.url)
        inputs = page.locator("form.score-form input[type=number]")
        for n in range(inputs.count()):
            field = inputs.nth(n)
            maximum = float(field.get_attribute("max"))
            field.fill(str(int(maximum * (0.9 - i * 0.1))))
        page.fill("textarea[name=opinion]", f"第{i + 1}位专家：基础扎实，建议完善目标。")
        page.select_option("select[name=recommendation]", "improve")
        with page.expect_navigation():
            page.click("button[name=action][value=submit]")
        _logout(page)

    # the chair writes and signs the panel opinion
    login(page, live_server, "e2e_tech")
    page.goto(f"{live_server.url}/reviews/my/{chair.pk}/opinion/")
    assert "第2位专家：基础扎实" in page.inner_text("main")  # the chair sees the submitted scores
    page.fill("textarea[name=summary]", "该中心建设基础扎实，同意通过论证，请按以下意见完善。")
    page.fill("textarea[name=points]", "细化三年研发投入计划。\n补充共建单位分工。")
    with page.expect_navigation():
        page.click("button[name=action][value=sign]")
    _logout(page)

    # the officer concludes: pass
    login(page, live_server, "e2e_officer")
    page.goto(f"{live_server.url}/reviews/panels/{panel.pk}/")
    assert "细化三年研发投入计划。" in page.inner_text("main")
    with page.expect_navigation():
        page.click("form.conclude-form button[value=pass]")
    app.refresh_from_db()
    assert app.status == Application.Status.IMPROVING
    _logout(page)

    # the applicant answers each point and submits the improved plan
    login(page, live_server, applicant.username)
    page.goto(f"{live_server.url}/reviews/improve/{app.pk}/")
    assert "补充共建单位分工。" in page.inner_text("main")
    answers = page.locator("form.improve-form textarea")
    assert answers.count() == 2
    answers.nth(0).fill("已在投资章节细化研发投入。")
    answers.nth(1).fill("已补充共建单位分工。")
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    app.refresh_from_db()
    assert app.status == Application.Status.AWAITING_MEETING
    assert app.versions.count() == 2
    assert "已补充共建单位分工。" in page.inner_text("main")
