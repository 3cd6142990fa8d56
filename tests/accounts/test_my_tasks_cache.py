"""The home page's tasks are cached like the badge (accounts.inbox.per_user): per user, for
INBOX_COUNT_SECONDS, under the generation every audit event moves on. The working days
waited are counted on every request. The clock is frozen at TEST_NOW (Monday 2026-11-16)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from tests.accounts.test_my_tasks import at, home, nav_count, on, rows
from tests.applications.review_factories import submitted_plan
from tests.conftest import TEST_NOW
from tests.factories import reviewer

pytestmark = pytest.mark.django_db


def _rename_quietly(app, name: str) -> None:
    """A change that writes no audit event (never done by the services): a cached home
    page does not see it."""
    Application.objects.filter(pk=app.pk).update(name=name)


def test_a_state_change_shows_on_the_next_home_page(client, clock_nov9, cached):
    first = submitted_plan(name="甲材料")
    at(clock_nov9, TEST_NOW)
    user = reviewer("太原市")
    page = home(client, user)
    assert nav_count(page) == 1 and len(rows(page)) == 1
    with CaptureQueriesContext(connection) as warm:
        again = client.get(reverse("home")).content.decode()
    assert rows(again) == rows(page)
    _rename_quietly(first, "改名材料")
    assert "改名材料" not in client.get(reverse("home")).content.decode()  # served cached
    submitted_plan(name="乙材料")  # a state change: an audit event
    page = client.get(reverse("home")).content.decode()
    assert nav_count(page) == 2 and len(rows(page)) == 2
    assert "改名材料" in page and "乙材料" in page
    # the cached page ran fewer queries than the one that gathered the tasks again
    with CaptureQueriesContext(connection) as cold:
        submitted_plan(name="丙材料")
        client.get(reverse("home"))
    assert len(warm.captured_queries) < len(cold.captured_queries)


def test_the_waited_days_are_counted_on_each_request(client, clock_nov9, settings):
    settings.INBOX_COUNT_SECONDS = 3 * 24 * 3600  # still cached the next day
    app = submitted_plan(name="甲材料")
    at(clock_nov9, TEST_NOW)
    user = reviewer("太原市")
    assert rows(home(client, user))[0].endswith("已等待 5 个工作日")
    _rename_quietly(app, "改名材料")
    at(clock_nov9, on("2026-11-17"))  # a working day later, no state change
    page = home(Client(), user)
    assert "改名材料" not in page  # the tasks come from the cache
    assert rows(page)[0].endswith("已等待 6 个工作日")  # their waited days do not


def test_the_cache_is_per_user(client, clock_nov9, cached):
    taiyuan = submitted_plan(name="太原材料")
    datong = submitted_plan(name="大同材料", department=reviewer("大同市").department)
    at(clock_nov9, TEST_NOW)
    page = home(client, reviewer("太原市"))  # cached for the Taiyuan reviewer
    assert taiyuan.name in page and datong.name not in page
    other = home(client, reviewer("大同市"))
    assert nav_count(other) == 1 and len(rows(other)) == 1
    assert datong.name in other and taiyuan.name not in other
    # and back: each user still reads their own
    page = home(client, reviewer("太原市"))
    assert taiyuan.name in page and datong.name not in page


def test_the_cache_keeps_each_language_apart(client, clock_nov9, cached, settings):
    submitted_plan(name="甲材料")
    at(clock_nov9, TEST_NOW)
    user = reviewer("太原市")
    assert rows(home(client, user))[0].startswith("待审核的建设方案")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("home")).content.decode()
    assert rows(english)[0].startswith("Plan to review")


def test_without_a_cache_time_every_home_page_gathers_the_tasks(client, clock_nov9, settings):
    settings.INBOX_COUNT_SECONDS = 0
    app = submitted_plan(name="甲材料")
    at(clock_nov9, TEST_NOW)
    page = home(client, reviewer("太原市"))
    assert "甲材料" in page
    _rename_quietly(app, "改名材料")
    page = client.get(reverse("home")).content.decode()
    assert "改名材料" in page and "甲材料" not in page


def test_the_full_list_is_cached_the_same_way(client, clock_nov9, cached):
    app = submitted_plan(name="甲材料")
    at(clock_nov9, TEST_NOW)
    client.force_login(reviewer("太原市"))
    url = reverse("my_tasks")
    assert len(rows(client.get(url).content.decode())) == 1
    _rename_quietly(app, "改名材料")
    assert "改名材料" not in client.get(url).content.decode()
    submitted_plan(name="乙材料")
    page = client.get(url).content.decode()
    assert len(rows(page)) == 2 and "改名材料" in page and "乙材料" in page
    other = Client()
    other.force_login(reviewer("大同市"))
    assert rows(other.get(url).content.decode()) == []
