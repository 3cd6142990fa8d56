"""Crawl the demo as every role in real Chromium (issue 8, item 9).

Each demo user logs in and the crawler visits the pages reachable from the navigation and
the pages those link to (breadth first, bounded per role and per view). On every page:
no 5xx, no console error (a CSP violation is one), no raw state codes in the visible text,
and, the language being Chinese, no English word outside a short allow-list. Downloads
(PDF, CSV, JSON, ZIP) linked from the pages are fetched and must not fail with a 5xx.
The first page of each view (whichever role reaches it first; the admin excluded) is also
checked with axe-core against WCAG 2.1 A/AA (issue 16), on the same page load.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from accounts.demo import DEMO_USERS

from . import axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES_PER_ROLE = 40
PAGES_PER_VIEW = 2
# Never followed: they change the session or the language, or they are the admin's
# machinery for editing (the admin smoke test opens every changelist and change page).
SKIP_PATH = re.compile(
    r"^/(accounts/logout|i18n/|admin/(logout|password_change|jsi18n|r/)|static/)"
    r"|/(delete|history)/$"
)
DOWNLOAD_PATH = re.compile(r"(\.(pdf|csv|json|xlsx|zip|atom|xml)$|/(download|export|pdf)/)")

# Latin words a Chinese page may show: formats, abbreviations, product names.
ALLOWED_WORDS = {
    "PDF", "CSV", "JSON", "XLSX", "ZIP", "ID", "URL", "E", "mail", "Email", "e-mail",
    "SQ", "SXTIC", "GB", "GB/T", "Django", "R&D", "OK", "Atom", "RSS", "QR", "Excel",
    "English", "m", "m²", "SHA", "No", "AI", "IT", "admin", "MB", "KB", "JPG", "PNG", "jpg", "png",
}  # fmt: skip
WORD = re.compile(r"(?<![A-Za-z0-9_@.\-])[A-Za-z][A-Za-z\-]*[A-Za-z](?![A-Za-z0-9_@])")
EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|/[\w/\-.?=&]+")
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def state_codes() -> set[str]:
    """Every stored value of a choices field of our apps that reads like a code."""
    codes = set()
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in {
            "accounts", "applications", "reviews", "centers", "evaluations",
            "workdays", "audit", "documents", "notifications",
        }:  # fmt: skip
            continue
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]+", value):
                    codes.add(value)
    return codes


def view_key(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


class Crawl:
    def __init__(self, page, base, username, codes, usernames, axe_seen=None):
        self.page, self.base, self.username = page, base, username
        self.codes, self.usernames = codes, usernames
        self.axe_seen = axe_seen if axe_seen is not None else set()
        self.problems: list[str] = []
        self.console: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        page.on("pageerror", lambda e: self.console.append(str(e)))

    def note(self, url, what):
        self.problems.append(f"[{self.username}] {url}: {what}")

    def links(self) -> list[str]:
        hrefs = self.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")  # absolute
        out = []
        for href in hrefs:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != self.base:
                continue
            if SKIP_PATH.search(parts.path):
                continue
            out.append(href)
        return out

    def check_text(self, url):
        text = self.page.locator("body").inner_text()
        for token in CODE.findall(text):
            if token in self.codes:
                self.note(url, f"raw code {token!r} in the visible text")
        if urlsplit(url).path.startswith("/admin/"):
            return  # the admin shows field names of its own; the smoke test covers it
        cleaned = EMAIL_OR_URL.sub(" ", text)
        # Text marked translate="no" is not language (a two-factor key, backup codes).
        untranslated = {
            w
            for t in self.page.locator('[translate="no"]').all_inner_texts()
            for w in WORD.findall(t)
        }
        for word in WORD.findall(cleaned):
            if word in ALLOWED_WORDS or word in self.usernames or word in self.codes:
                continue
            if word in untranslated:
                continue
            self.note(url, f"English word {word!r} on a Chinese page")

    def check_accessibility(self, url, key):
        """axe over the first page of each view (the admin is Django's, not checked)."""
        if key in self.axe_seen or urlsplit(url).path.startswith("/admin/"):
            return
        self.axe_seen.add(key)
        for line in axe.violations(self.page, label=f"{self.username}: {urlsplit(url).path}"):
            self.problems.append(line)

    def run(self, start: str, limit=PAGES_PER_ROLE):
        seen, per_view, downloads = set(), {}, set()
        queue = deque([start])
        visited = 0
        while queue and visited < limit:
            url = queue.popleft()
            if url in seen:
                continue
            seen.add(url)
            path = urlsplit(url).path
            if DOWNLOAD_PATH.search(path):
                downloads.add(url)
                continue
            key = view_key(path) or path
            if per_view.get(key, 0) >= PAGES_PER_VIEW:
                continue
            per_view[key] = per_view.get(key, 0) + 1
            visited += 1
            self.console.clear()
            try:
                response = self.page.goto(url)
            except PlaywrightError as exc:
                if "Download is starting" not in str(exc):
                    raise
                downloads.add(url)  # served as an attachment: fetched below
                continue
            if response is None:
                continue
            if response.status >= 500:
                self.note(url, f"HTTP {response.status}")
                continue
            if "application/pdf" in (response.headers.get("content-type") or ""):
                continue
            self.page.wait_for_load_state("load")
            for message in self.console:
                self.note(url, f"console error: {message[:200]}")
            self.check_text(url)
            self.check_accessibility(url, key)
            queue.extend(link for link in self.links() if link not in seen)
        for url in sorted(downloads)[:20]:
            response = self.page.request.get(url)
            if response.status >= 500:
                self.note(url, f"download answered HTTP {response.status}")
        return visited


def test_every_role_crawls_the_demo_without_errors(page, live_server, login, settings):
    settings.DEBUG = True  # seed_demo refuses otherwise
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False
    codes = state_codes()
    usernames = {username for username, *_ in DEMO_USERS}
    problems, visited, axe_seen = [], {}, set()

    anonymous = Crawl(page, live_server.url, "anonymous", codes, usernames, axe_seen)
    visited["anonymous"] = anonymous.run(live_server.url + "/")
    problems += anonymous.problems

    context = page.context
    for username, *_ in DEMO_USERS:
        context.clear_cookies()
        login(page, live_server, username)
        crawl = Crawl(page, live_server.url, username, codes, usernames, axe_seen)
        visited[username] = crawl.run(live_server.url + "/")
        problems += crawl.problems

    # The crawl really went somewhere: every role saw more than its home page.
    assert all(count > 3 for count in visited.values()), visited
    problems = sorted(set(problems))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
