"""The layout in a real Chromium: Bootstrap's JavaScript, htmx, the language switch, a phone."""

import pytest
from playwright.sync_api import expect

from notifications.models import Message
from tests.factories import applicant, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice(db):
    return applicant(username="alice", last_name="王", first_name="申报")


def test_login_errors_dropdown_and_logout(page, live_server, login, alice):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", "wrong")
    page.click("form button[type=submit]")
    assert "请输入一个正确的" in page.locator("main").inner_text()
    assert page.input_value("input[name=username]") == "alice"

    login(page, live_server, "alice")
    assert "您好，王申报" in page.locator("main").inner_text()
    # Bootstrap's bundle works: the user menu opens.
    page.click(".site-nav .dropdown-toggle")
    page.wait_for_selector(".dropdown-menu.show")
    with page.expect_navigation():
        page.click(".dropdown-menu.show button[type=submit]")  # log out
    assert page.locator(".site-nav").get_by_text("登录").count() >= 1
    assert errors == []


def test_mark_read_with_htmx_updates_the_row_and_the_badge(page, live_server, login, alice):
    for i in range(2):
        Message.objects.create(recipient=alice, subject=f"待办提醒{i}")
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/notifications/")
    assert page.locator("#nav-messages .badge").inner_text().startswith("2")
    url_before = page.url

    page.locator("li.message-unread").first.get_by_role("button", name="标为已读").click()
    # (a string wait_for_function would need eval, which the page's CSP rightly refuses)
    expect(page.locator("li.message-unread")).to_have_count(1)
    assert page.locator("#nav-messages .badge").inner_text().startswith("1")
    assert page.url == url_before  # no full reload
    assert Message.objects.filter(recipient=alice, read_at__isnull=True).count() == 1


def test_language_switch_in_the_browser(page, live_server):
    page.goto(f"{live_server.url}/")
    assert "公示公告" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.click(".site-lang button")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Public notices" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.click(".site-lang button")
    assert "公示公告" in page.locator("main").inner_text()


def test_phone_layout_collapses_the_menu(page, live_server, login, alice):
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, live_server, "alice")
    assert not page.locator("#site-nav-items").is_visible()
    page.click(".navbar-toggler")
    page.wait_for_selector("#site-nav-items.show")
    assert page.locator("#site-nav-items").get_by_text("消息").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # nothing forces sideways scrolling


@pytest.mark.parametrize("width", [992, 1280])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_longest_menu_fits_a_narrow_desktop(page, live_server, login, width, language):
    """The provincial officer's menu (a dozen entries, longer in English) wraps instead of
    pushing the page sideways; every entry stays on screen."""
    officer(username="olga", last_name="孙", first_name="复核")
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "olga")
    if language == "en":
        with page.expect_navigation():
            page.click(".site-lang button")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    links = page.locator("#site-nav-items .nav-link")
    assert links.count() >= 10
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
