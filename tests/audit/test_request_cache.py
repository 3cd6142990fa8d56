"""A signed-in page reads its small cache entries (the inbox generation, the task badge,
"My center", the unread count, the page's own entry) in one round trip
(``audit.request_cache``); a change in the same request makes the next read go to the cache
again, and outside a request nothing is remembered."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from accounts import inbox
from audit import request_cache
from centers.selectors_center import KEEPS_ANY_ENTRY
from notifications.selectors import unread_count
from notifications.services import mark_read, notify
from tests.factories import applicant, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(monkeypatch):
    """Every read of the default cache, one list of keys per round trip (the test cache's
    get_many calls its get for each key: those are not trips of their own)."""
    trips: list[list[str]] = []
    real_get_many, real_get = cache.get_many, cache.get
    inside = []

    def get_many(keys, *args, **kwargs):
        trips.append(list(keys))
        inside.append(1)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    def get(key, *args, **kwargs):
        if not inside:
            trips.append([key])
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    monkeypatch.setattr(cache, "get", get)
    return trips


def user_trips(trips, user) -> list[list[str]]:
    return [t for t in trips if any(k.endswith(f":{user.pk}") for k in t)]


def test_a_warm_page_reads_the_users_entries_in_one_round_trip(client, cached, reads):
    user = applicant()
    client.force_login(user)
    client.get(reverse("applications:home"))  # fills the entries
    reads.clear()
    html = client.get(reverse("applications:home")).content.decode()
    assert "我的申报" in html
    trips = user_trips(reads, user)
    assert len(trips) == 1, trips
    (keys,) = trips
    assert inbox.GENERATION_KEY in keys
    assert f"notifications:unread:{user.pk}" in keys
    assert inbox.entry_key(inbox.COUNT, user.pk) in keys
    assert inbox.entry_key(KEEPS_ANY_ENTRY, user.pk) in keys
    assert any(k.startswith("inbox:first_user:") for k in keys)


def test_the_unread_badge_follows_a_message_on_the_next_page(client, cached):
    user = officer()
    client.force_login(user)
    client.get(reverse("applications:review_inbox"))
    notify(recipients=[user], subject="请审核建设方案")
    html = client.get(reverse("applications:review_inbox")).content.decode()
    assert 'class="badge rounded-pill text-bg-danger">1<' in html


def in_a_request(fn):
    """Run ``fn`` inside the middleware, as a view would."""
    out = {}

    def view(request):
        out["value"] = fn()
        return None

    request_cache.RequestCacheMiddleware(view)(RequestFactory().get("/"))
    return out["value"]


def test_a_change_in_the_same_request_is_read_anew(cached):
    user = officer()
    computed = []

    def body():
        first = inbox.per_user(user, "probe", lambda: computed.append(1) or len(computed))
        again = inbox.per_user(user, "probe", lambda: computed.append(1) or len(computed))
        inbox.invalidate_counts()  # what an audit event does
        after = inbox.per_user(user, "probe", lambda: computed.append(1) or len(computed))
        return first, again, after

    assert in_a_request(body) == (1, 1, 2)


def test_messages_read_in_the_request_drop_the_remembered_count(cached):
    user = officer()
    notify(recipients=[user], subject="请审核建设方案")

    def body():
        before = unread_count(user=user)
        mark_read(user=user)
        return before, unread_count(user=user)

    assert in_a_request(body) == (1, 0)


def test_outside_a_request_nothing_is_remembered(cached, reads):
    user = officer()
    inbox.per_user(user, "probe", lambda: 1)
    reads.clear()
    inbox.per_user(user, "probe", lambda: 2)
    inbox.per_user(user, "probe", lambda: 3)
    assert len(user_trips(reads, user)) == 2
