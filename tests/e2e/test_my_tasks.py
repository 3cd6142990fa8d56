"""My tasks in a real Chromium: the officer's and a panel chair's home, on a desktop and a
phone (screenshots in var/screenshots/ for review)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reviews.services import members as members_services
from tests.accounts.test_my_tasks import on
from tests.applications.review_factories import plan_in_recheck
from tests.centers.factories import file_objection, plan_awaiting_meeting, publicized_plan
from tests.conftest import TEST_NOW
from tests.factories import OrganizationFactory, officer
from tests.reviews.factories import accept_all, form_panel, plan_in_expert_review, pool, score_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def world(frozen_clock, calendar_years, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REVIEWS_MIN_PANEL_SIZE = 3
    calendar_years(2026)
    actor = officer(username="officer_e2e", last_name="孙", first_name="复核")
    frozen_clock.move_to(on("2026-11-03"))
    publicized_plan(actor=actor, name="到期材料")
    plan_awaiting_meeting(name="议程材料")
    frozen_clock.move_to(on("2026-11-09"))
    plan_in_recheck(name="复核材料")
    current, _notice = publicized_plan(actor=actor, name="公示中材料", start=dt.date(2026, 11, 10))
    frozen_clock.move_to(on("2026-11-10"))
    app = plan_in_expert_review(org=OrganizationFactory(), name="评审材料")
    plan_in_expert_review(org=OrganizationFactory(), name="待组专家组材料")
    pool(technical=1, management=1, financial=1)
    panel = form_panel(app, actor, size=3, counts=(1, 1, 1))
    seats = accept_all(panel)
    members_services.panel_set_chair(actor=actor, panel_id=panel.pk, member_id=seats[0].pk)
    frozen_clock.move_to(on("2026-11-12"))
    file_objection(current)
    score_all(panel)
    frozen_clock.move_to(TEST_NOW)
    return {"officer": actor, "chair": seats[0].expert.user}


def _tasks(page) -> list[str]:
    return [t.inner_text() for t in page.locator("[data-testid=task]").all()]


def test_officer_and_chair_homes_list_their_tasks(page, live_server, login, world):
    SHOTS.mkdir(parents=True, exist_ok=True)
    login(page, live_server, world["officer"].username)
    tasks = _tasks(page)
    text = "\n".join(tasks)
    for kind in (
        "待认定",
        "待列入厅会议议程",
        "待复核的建设方案",
        "公示即将结束",
        "待组建专家组",
        "待处理的异议",
    ):
        assert kind in text, kind
    assert "已等待" in text and "个工作日" in text
    badge = page.locator("[data-testid=nav-task-count]").inner_text()
    assert badge.startswith(str(len(tasks)))
    page.screenshot(path=str(SHOTS / "my-tasks-officer.png"), full_page=True)

    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    assert page.locator("[data-testid=phone-task-count]").inner_text() == str(len(tasks))
    assert page.locator("[data-testid=phone-task-count]").is_visible()
    width = page.locator("#my-tasks").bounding_box()["width"]
    assert width <= 375
    for box in (t.bounding_box() for t in page.locator("[data-testid=task]").all()):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    page.screenshot(path=str(SHOTS / "my-tasks-officer-phone.png"), full_page=True)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, world["chair"].username)
    tasks = _tasks(page)
    assert (
        len(tasks) == 1
        and "待撰写专家组意见" in tasks[0]
        and "山西省评审材料技术创新中心" in tasks[0]
    )
    page.screenshot(path=str(SHOTS / "my-tasks-chair.png"), full_page=True)
