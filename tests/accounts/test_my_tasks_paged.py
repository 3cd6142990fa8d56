"""My tasks at scale: the home page lists the oldest tasks and links to the full list, which
is paged; providers over many rows count in the database and build only the oldest tasks
(accounts.inbox.rows_provider): the home page shows the first tasks of the full list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import inbox
from tests.accounts.test_my_tasks import at, home, nav_count, on, rows
from tests.applications.review_factories import submitted_plan
from tests.conftest import TEST_NOW
from tests.factories import reviewer

pytestmark = pytest.mark.django_db


def _plans(clock, n_later: int = 1):
    """Two plans on 2026-11-09 (the later one's title sorts first) and ``n_later`` after."""
    at(clock, on("2026-11-09", 9))
    morning = submitted_plan(name="甲材料")
    at(clock, on("2026-11-09", 15))
    afternoon = submitted_plan(name="乙材料")  # 乙 (U+4E59) sorts before 甲 (U+7532)
    later = []
    for i in range(n_later):
        at(clock, on("2026-11-12", 9 + i))
        later.append(submitted_plan(name=f"丙{i}材料"))
    at(clock, TEST_NOW)
    return morning, afternoon, later


def _title(app) -> str:
    return f"{app.full_name}（{app.organization.name}）"


def test_home_shows_the_oldest_and_links_to_the_rest(client, clock, small_pages):
    morning, afternoon, later = _plans(clock)
    page = home(client, reviewer("太原市"))
    # a day's plans in the order they started waiting (the morning's first), not by title
    assert rows(page) == [f"待审核的建设方案 {_title(morning)} 等待自 2026-11-09 已等待 5 个工作日"]
    assert nav_count(page) == 3
    assert 'data-testid="task-count">3<' in page
    assert "还有 2 项待办，查看全部待办" in page and f'href="{reverse("my_tasks")}"' in page


def test_the_full_list_has_every_task_in_pages(client, clock, small_pages):
    morning, afternoon, later = _plans(clock)
    client.force_login(reviewer("太原市"))
    first = client.get(reverse("my_tasks")).content.decode()
    assert [r.split(" ")[1] for r in rows(first)] == [_title(morning), _title(afternoon)]
    assert "第 1 页，共 2 页" in first and "?page=2" in first
    second = client.get(reverse("my_tasks"), {"page": 2}).content.decode()
    assert [r.split(" ")[1] for r in rows(second)] == [_title(later[0])]
    assert 'start="3"' in second
    assert rows(client.get(reverse("my_tasks"), {"page": "x"}).content.decode()) == rows(first)


def test_no_more_link_when_every_task_is_on_the_home_page(client, clock):
    _plans(clock)
    page = home(client, reviewer("太原市"))
    assert len(rows(page)) == nav_count(page) == 3
    assert 'data-testid="tasks-more"' not in page


def test_the_full_list_shows_only_the_users_own_tasks(client, clock):
    _plans(clock)
    datong = submitted_plan(name="大同材料", department=reviewer("大同市").department)
    client.force_login(reviewer("太原市"))
    page = client.get(reverse("my_tasks")).content.decode()
    assert len(rows(page)) == 3 and datong.full_name not in page


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_home_full_list_and_badge_query_counts_are_flat(client, clock, small_pages, settings):
    settings.INBOX_COUNT_SECONDS = 0  # the badge counts on every page
    user = reviewer("太原市")
    _plans(clock, n_later=1)
    client.force_login(user)
    urls = [reverse("home"), reverse("my_tasks"), reverse("applications:review_inbox")]
    few = [_queries(client, url) for url in urls]
    _plans(clock, n_later=6)
    many = [_queries(client, url) for url in urls]
    assert many == few
    page = client.get(reverse("applications:review_inbox")).content.decode()
    assert nav_count(page) == 3 + 8


def test_the_badge_counts_without_building_a_task(client, clock, monkeypatch):
    from applications import tasks_inbox

    _plans(clock)
    user = reviewer("太原市")
    calls = []
    monkeypatch.setattr(tasks_inbox, "Task", lambda **kw: calls.append(kw))
    assert inbox.gather(user, 0).count == 3 and calls == []
