"""Atom feeds of the public notices: publicity notices and results (designations so far)."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers import feeds, rules
from tests.documents.conftest import make_center

from .factories import publicized_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_known_ahead")]
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        {
            "title": e.findtext(f"{ATOM}title"),
            "link": e.find(f"{ATOM}link").get("href"),
            "id": e.findtext(f"{ATOM}id"),
            "summary": e.findtext(f"{ATOM}summary") or "",
        }
        for e in root.findall(f"{ATOM}entry")
    ]


def test_publicity_feed_lists_published_notices_only(client, officer):
    _old, past = publicized_plan(actor=officer, name="半导体")
    _now, current = publicized_plan(actor=officer, name="大数据", start=rules.local_now().date())
    future_start = rules.local_now().date() + dt.timedelta(days=30)
    _later, future = publicized_plan(actor=officer, name="通用航空", start=future_start)
    rows = entries(client, "centers:publicity_feed")
    titles = [row["title"] for row in rows]
    assert titles == [current.title, past.title]  # newest first; a future notice is not public
    assert future.title not in titles
    assert rows[0]["link"].endswith(reverse("centers:public_notice", args=[current.pk]))
    assert "公示期" in rows[0]["summary"] and "大数据" in rows[0]["summary"]
    assert len({row["id"] for row in rows}) == 2


def test_results_feed_lists_designations_by_their_public_data(client):
    center = make_center(name="碳基新材料")
    rows = entries(client, "centers:results_feed")
    assert [row["title"] for row in rows] == [f"山西省科学技术厅认定{center.name}"]
    assert rows[0]["link"].endswith(reverse("centers:registry_detail", args=[center.number]))
    assert center.lead_organization.public_name in rows[0]["summary"]


def test_another_kind_of_result_joins_with_one_line(client, monkeypatch):
    make_center(name="碳基新材料")
    extra = feeds.FeedEntry(
        title="评估结果公告",
        link="/centers/registry/",
        updated=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
        description="测试",
        unique_id="evaluation:1",
    )
    monkeypatch.setattr(feeds, "RESULT_SOURCES", [*feeds.RESULT_SOURCES, lambda: [extra]])
    assert entries(client, "centers:results_feed")[0]["title"] == "评估结果公告"


def test_feeds_run_a_fixed_number_of_queries(client, officer):
    publicized_plan(actor=officer, name="半导体")
    make_center(name="碳基新材料")
    with CaptureQueriesContext(connection) as one_p:
        client.get(reverse("centers:publicity_feed"))
    with CaptureQueriesContext(connection) as one_r:
        client.get(reverse("centers:results_feed"))
    for name in ("大数据", "轨道交通"):
        publicized_plan(actor=officer, name=name, start=rules.local_now().date())
        make_center(name=name)
    with CaptureQueriesContext(connection) as many_p:
        client.get(reverse("centers:publicity_feed"))
    with CaptureQueriesContext(connection) as many_r:
        client.get(reverse("centers:results_feed"))
    assert len(many_p) == len(one_p) and len(many_r) == len(one_r)


def test_public_index_links_the_feeds(client):
    html = client.get(reverse("centers:public_index")).content.decode()
    assert 'type="application/atom+xml"' in html
    assert reverse("centers:publicity_feed") in html and reverse("centers:results_feed") in html
