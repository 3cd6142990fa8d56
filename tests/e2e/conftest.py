"""Playwright fixtures for end-to-end tests in a real Chromium.

The browser is the system Chromium (``CHROMIUM`` env, default /usr/bin/chromium),
never a downloaded one. Where it does not exist, every test marked ``browser``
is skipped with a reason.

Usage::

    @pytest.mark.browser
    def test_something(page, live_server, login):
        login(page, live_server, "applicant")
        page.goto(live_server.url + "/applications/")
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse ORM calls made by the test (fixtures, assertions) there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DEMO_PASSWORD = "Demo-pass-2026"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_missing_reason() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (set CHROMIUM to its path)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


def pytest_collection_modifyitems(config, items):
    reason = chromium_missing_reason()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API leaves an asyncio loop "running" in this thread, and Django's
    # connection handler then hands out NEW connection objects (per async context), which
    # lack the serialized test data: later transactional tests would lose the reference
    # data. Keep the same connection objects in both contexts.
    saved = {alias: connections[alias] for alias in connections}
    with sync_playwright() as pw:
        for alias, conn in saved.items():
            connections[alias] = conn
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    """A fresh page in a new context (no cookies shared between tests), Chinese locale."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def login():
    """``login(page, live_server, "applicant")`` logs a user in through the login form.

    The user must exist (e.g. created by a factory or ``seed_demo`` in the test)
    with the given password. Returns the page after the login redirect.
    """

    def do_login(page, live_server, username, password=DEMO_PASSWORD, next_url=None):
        url = f"{live_server.url}/accounts/login/"
        if next_url:
            url += f"?next={next_url}"
        page.goto(url)
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.locator("form:has(input[name=password]) [type=submit]").first.click()
        if "/accounts/login/" in page.url:
            raise AssertionError(f"login as {username!r} failed; still on {page.url}")
        return page

    return do_login
