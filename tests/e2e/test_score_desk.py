"""Browser: the score form beside the plan — two columns on a wide screen, the running total
and the empty criteria as the expert types (a script under the strict CSP), 保存并评下一个."""

import pytest

from tests.factories import OrganizationFactory, officer
from tests.reviews.factories import accept_all, form_panel, plan_in_expert_review, pool
from tests.texts import zh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_score_beside_the_plan_with_a_running_total(page, live_server, login):
    office = officer(username="desk_officer")
    pool(technical=3, management=1, financial=1)
    panels = []
    for i in range(2):
        app = plan_in_expert_review(org=OrganizationFactory(name=f"太原评分台单位{i}有限公司"))
        panel = form_panel(app, office, deadline_days=10 + i)
        accept_all(panel)
        panels.append(panel)
    member = panels[0].members.select_related("expert__user").first()
    user = member.expert.user
    user.set_password("Demo-pass-2026")
    user.save()
    second = panels[1].members.get(expert__user=user)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.set_viewport_size({"width": 1400, "height": 900})
    login(page, live_server, user.username)
    page.goto(f"{live_server.url}/reviews/my/{member.pk}/score/")
    plan_box = page.locator(".score-plan").bounding_box()
    form_box = page.locator("form.score-form").bounding_box()
    assert plan_box["x"] + plan_box["width"] <= form_box["x"]  # side by side
    assert zh("Scored %(done)s / %(total)s", done=0, total=2) in page.inner_text(
        "[data-testid=score-progress]"
    )

    inputs = page.locator("input[data-criterion]")
    inputs.nth(0).fill("18")
    inputs.nth(1).fill("12.5")
    assert page.inner_text("[data-score-total]") == "30.5"
    empty = page.inner_text("[data-score-empty]")
    first_name = inputs.nth(0).get_attribute("data-criterion")
    assert empty.startswith(zh("Not scored yet: ").strip()) and first_name not in empty
    for i in range(inputs.count()):
        inputs.nth(i).fill("10")
    assert zh("Every criterion is scored.") in page.inner_text("[data-score-empty]")

    with page.expect_navigation():
        page.click("button[value=next]")
    assert page.url.endswith(f"/reviews/my/{second.pk}/score/")
    assert "评分草稿已保存" in page.inner_text("main")

    page.set_viewport_size({"width": 900, "height": 900})  # narrow: one column, form first
    plan_box = page.locator(".score-plan").bounding_box()
    form_box = page.locator("form.score-form").bounding_box()
    assert form_box["y"] + form_box["height"] <= plan_box["y"]
    assert errors == []
