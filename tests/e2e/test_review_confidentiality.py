"""The applicant's plan page during expert review, in a real browser: the step and the
panel's acts are shown, no expert's name (issue 8 item 5)."""

import os

import pytest
from playwright.sync_api import expect

from tests.factories import officer
from tests.reviews.test_confidentiality import NAMES, build_scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_plan_page_names_no_expert(page, live_server, login, tmp_path):
    data = build_scenario(officer(username="officer_e2e"))
    login(page, live_server, data["owner"].username)
    page.goto(f"{live_server.url}/applications/{data['app'].pk}/")
    timeline = page.locator(".audit-timeline")
    expect(timeline).to_contain_text("专家组意见已形成")
    expect(timeline).to_contain_text("记录实地考察")
    text = page.locator("body").inner_text()
    for username, last, first in NAMES:
        assert username not in text and last + first not in text
    assert "expert_review" not in text
    page.screenshot(
        path=os.environ.get("SCREENSHOT_DIR", str(tmp_path)) + "/applicant_timeline.png",
        full_page=True,
    )
