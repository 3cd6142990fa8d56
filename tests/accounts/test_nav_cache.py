"""The navigation's items are rendered once per process for each combination of what they
show (templates/base.html, ``{% cache %}`` in CACHES["fragments"]): the language, the roles,
whether the user belongs to an organization and keeps a center, the page and the task count.
Nothing of one user's may reach another's page, and nothing may go stale."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.applications.review_factories import submitted_plan
from tests.factories import applicant, officer, reviewer

pytestmark = pytest.mark.django_db

NAV_TEMPLATE = "_nav/centers.html"


def nav(html: str) -> str:
    return re.search(
        r'<div class="navbar-nav me-auto">.*?</div>\s*<div class="navbar-nav">', html, re.S
    )[0]


def get(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    rendered = {t.name for t in response.templates}
    return response.content.decode(), NAV_TEMPLATE in rendered


def test_the_items_are_rendered_once_then_served_from_the_cache(client):
    first, rendered = get(client, officer(), reverse("applications:review_inbox"))
    assert rendered and "厅会议" in nav(first) and "专家库" in nav(first)
    again, rendered = get(client, officer(), reverse("applications:review_inbox"))
    assert not rendered  # another officer, the same items: not rendered again
    assert nav(again) == nav(first)


def test_each_role_sees_its_own_items(client):
    officer_page, _ = get(client, officer(), reverse("applications:review_inbox"))
    reviewer_page, rendered = get(client, reviewer("太原市"), reverse("applications:review_inbox"))
    assert rendered
    assert "审核建设方案" in nav(reviewer_page) and "厅会议" not in nav(reviewer_page)
    assert "复核建设方案" in nav(officer_page)
    applicant_page, rendered = get(client, applicant(), reverse("applications:home"))
    assert rendered
    assert "我的申报" in nav(applicant_page)
    assert "审核建设方案" not in nav(applicant_page) and "厅会议" not in nav(applicant_page)


def test_the_language_and_the_page_are_part_of_the_key(client):
    user = officer()
    chinese, _ = get(client, user, reverse("applications:review_inbox"))
    client.cookies["django_language"] = "en"
    english, rendered = get(client, user, reverse("applications:review_inbox"))
    assert rendered and "Office meetings" in nav(english) and "厅会议" not in nav(english)
    assert 'active" href="/applications/review/"' in nav(chinese)
    home, _ = get(client, user, reverse("home"))
    assert 'active" href="/applications/review/"' not in nav(home)


def test_home_is_marked_on_the_home_page_only(client):
    """The applicant's plans are at applications:home: its url_name is "home" too."""
    user = applicant()
    plans, _ = get(client, user, reverse("applications:home"))
    home, _ = get(client, user, reverse("home"))
    home_link = f'href="{reverse("home")}">首页'
    assert f'nav-link active" {home_link}' in nav(home)
    assert f'nav-link" {home_link}' in nav(plans)


def test_the_task_count_is_current(client, frozen_clock):
    user = reviewer("太原市")
    submitted_plan()
    page, _ = get(client, user, reverse("applications:review_inbox"))
    assert 'data-testid="nav-task-count">1<' in nav(page)
    submitted_plan(name="乙材料")
    page, rendered = get(client, user, reverse("applications:review_inbox"))
    assert rendered and 'data-testid="nav-task-count">2<' in nav(page)
