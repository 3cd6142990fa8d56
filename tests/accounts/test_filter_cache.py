"""A list's filter bar (templates/_list/filter.html) is rendered once per process for each
key (accounts.list_views.filter_key: the list, what was typed with the user's defaults, the
reference options' version) and language. What the user typed, the rule a value broke and
a city added a moment ago must all show, as without the cache; the row count never comes
from it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import City
from tests.applications.review_factories import submitted_plan
from tests.factories import reviewer

pytestmark = pytest.mark.django_db

FIELD_TEMPLATE = "_forms/field.html"


def bar(html: str) -> str:
    return re.search(r'<form method="get" class="[^"]*list-filter".*?</form>', html, re.S)[0]


def get(client, query=""):
    response = client.get(reverse("applications:review_inbox") + query)
    assert response.status_code == 200
    rendered = FIELD_TEMPLATE in {t.name for t in response.templates}
    return response.content.decode(), rendered


@pytest.fixture
def signed_in(client):
    client.force_login(reviewer("太原市"))
    return client


def test_rendered_once_then_from_the_cache_with_the_current_count(signed_in):
    first, rendered = get(signed_in)
    assert rendered
    submitted_plan()
    again, rendered = get(signed_in)
    assert not rendered and bar(again) == bar(first)
    count = re.compile(r'data-testid="list-count">\D*(\d+)')
    assert count.search(first)[1] == "0" and count.search(again)[1] == "1"


def test_what_was_typed_and_the_broken_rule_show(signed_in):
    get(signed_in)
    page, rendered = get(signed_in, "?q=%3Cscript%3E&submitted_from=2026-13-40")
    assert rendered
    form = bar(page)
    assert 'value="&lt;script&gt;"' in form and "<script>" not in form
    assert 'value="2026-13-40"' in form and "请输入有效的日期" in page
    cached, rendered = get(signed_in, "?q=%3Cscript%3E&submitted_from=2026-13-40")
    assert not rendered and bar(cached) == form
    # the page number is not a filter: the next page shares the bar
    _page, rendered = get(signed_in, "?q=%3Cscript%3E&submitted_from=2026-13-40&page=2")
    assert not rendered


def test_a_new_city_shows_at_once(signed_in):
    get(signed_in)
    City.objects.create(name="新设市", name_en="Xinshe", division_code="149900", order=99)
    page, rendered = get(signed_in)
    assert rendered and "新设市" in bar(page)


def test_each_language_has_its_own(signed_in):
    chinese, _ = get(signed_in)
    signed_in.cookies["django_language"] = "en"
    english, rendered = get(signed_in)
    assert rendered and "All cities" in bar(english) and "All cities" not in bar(chinese)
