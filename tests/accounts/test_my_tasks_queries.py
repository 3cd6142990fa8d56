"""My tasks at scale: every provider counts in the database and builds only its oldest tasks
in one query (accounts.inbox.rows_provider), so the home page and the full list run the
same number of queries at one task a provider and at more tasks than a page shows.

The pages show one task (home) and two (full list) here, so "many" is past every limit.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.accounts.test_my_tasks import nav_count, rows
from tests.accounts.test_my_tasks_more import _media, _officer_world  # noqa: F401
from tests.factories import officer

pytestmark = pytest.mark.django_db


def _queries(client, url) -> tuple[int, str]:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _evaluations(n: int):
    """``n`` evaluations opened (to commission) and ``n`` proposed (to decide)."""
    from evaluations.models import Evaluation, EvaluationStatus
    from evaluations.services import scheduling
    from tests.evaluations.factories import make_center

    for _ in range(n):
        for status in (None, EvaluationStatus.PROPOSED):
            center, _staff = make_center(staff=False)
            ev = scheduling.open_evaluation(actor=officer(), center_id=center.pk)
            if status:
                Evaluation.objects.filter(pk=ev.pk).update(status=status, proposed_at=ev.opened_at)


def _change_requests(n: int, start: int):
    from centers.models_changes import CenterChangeRequest
    from tests.centers.change_factories import filed, make_center, rename_data

    for i in range(start, start + n):
        center = make_center(name=f"待办领域{i}号")
        filed(center, data=rename_data(new_name=f"山西省待办新领域{i}号技术创新中心"))
        CenterChangeRequest.objects.filter(center=center).update(status="province_review")


def test_officer_pages_run_the_same_queries_past_every_limit(client, clock, small_pages):
    user = officer()
    client.force_login(user)
    _officer_world(1)
    _evaluations(1)
    _change_requests(1, 0)
    urls = [reverse("home"), reverse("my_tasks"), reverse("my_tasks") + "?page=2"]
    few = [_queries(client, url) for url in urls]
    assert len(rows(few[0][1])) == 1 and len(rows(few[1][1])) == 2
    total = nav_count(few[0][1])
    _officer_world(3)
    _evaluations(3)
    _change_requests(3, 1)
    many = [_queries(client, url) for url in urls]
    assert nav_count(many[0][1]) > total
    assert len(rows(many[0][1])) == 1 and len(rows(many[2][1])) == 2
    assert [n for n, _page in many] == [n for n, _page in few]


def test_the_full_list_agrees_with_the_home_page_and_the_count(client, clock, small_pages):
    user = officer()
    client.force_login(user)
    _officer_world(2)
    _evaluations(2)
    _change_requests(2, 0)
    count = nav_count(client.get(reverse("home")).content.decode())
    listed = []
    for page in range(1, (count + 1) // 2 + 1):
        listed += rows(client.get(reverse("my_tasks"), {"page": page}).content.decode())
    assert len(listed) == count
    assert rows(client.get(reverse("home")).content.decode()) == listed[:1]
    # oldest first: the day each waits since never goes back down the list
    days = [dt.date.fromisoformat(r.split("等待自 ")[1][:10]) for r in listed]
    assert days == sorted(days)


def test_the_officer_card_counts_the_meeting_publicity_and_objection_steps(client, clock):
    _officer_world(1)  # two plans awaiting the meeting (one approved), one open objection
    client.force_login(officer())
    page = client.get(reverse("home")).content.decode()
    assert "待厅会议审议的建设方案：2" in page
    assert "已通过待公示的建设方案：1" in page
    assert "未处理异议：1" in page
