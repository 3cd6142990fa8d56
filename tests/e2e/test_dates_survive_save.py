"""Open a plan section in Chromium (Chinese locale), press 保存草稿 without touching: nothing is lost.

Under zh-hans Django rendered 声明日期 as 2026/01/15 into <input type="date">; Chromium
showed the field empty and the save stored an empty date. Here the real browser decides
what a field shows and what the form submits.
"""

import os

import pytest
from playwright.sync_api import expect

from applications.testing import make_complete_plan
from tests.factories import OrganizationFactory, applicant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("E2E_SCREENSHOTS")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize(
    ("code", "date_inputs", "stored"),
    [
        (
            "declaration",
            {"#id_f-signed_on": "2026-01-15"},
            lambda plan: [plan["declaration"]["signed_on"]],
        ),
        (
            "achievements",
            {"#id_items-0-date": "2023-05-10", "#id_items-1-date": "2024-03-01"},
            lambda plan: [row["date"] for row in plan["achievements"]["items"]],
        ),
    ],
)
def test_save_draft_untouched_keeps_the_dates(page, live_server, login, code, date_inputs, stored):
    org = OrganizationFactory(name="太原测试半导体有限公司")
    user = applicant(org, username="e2e_dates")
    app = make_complete_plan(org, user)
    before = app.plan
    expected = stored(before)
    assert all(expected)

    login(page, live_server, "e2e_dates")
    page.goto(f"{live_server.url}/applications/{app.pk}/edit/{code}/")
    for selector, value in date_inputs.items():
        expect(page.locator(selector)).to_have_value(value)  # the browser shows the date
    with page.expect_navigation():
        page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存草稿")
    for selector, value in date_inputs.items():
        expect(page.locator(selector)).to_have_value(value)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{code}.png", full_page=True)

    app.refresh_from_db()
    assert stored(app.plan) == expected
    assert app.plan == before
