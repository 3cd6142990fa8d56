import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Message
from notifications.services import notify
from tests.factories import applicant, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return applicant(username="alice")


@pytest.fixture
def bob():
    return reviewer(username="bob")


def make(user, n=1, subject=None, **kw):
    return [
        Message.objects.create(recipient=user, subject=subject or f"消息{i}", **kw)
        for i in range(n)
    ]


def test_list_shows_only_my_messages_newest_first(client, alice, bob):
    notify(
        recipients=[alice],
        subject="您的建设方案已退回",
        body="请修改后重新提交。",
        link="/applications/",
    )
    notify(recipients=[bob], subject="鲍勃的待审核方案")
    client.force_login(alice)
    text = client.get("/notifications/").content.decode()
    assert "您的建设方案已退回" in text
    assert "请修改后重新提交。" in text
    assert "鲍勃的待审核方案" not in text
    assert "未读" in text


def test_nav_badge_shows_the_unread_count(client, alice):
    make(alice, 3)
    Message.objects.filter(pk=make(alice)[0].pk).update(read_at="2026-01-01T00:00:00Z")
    client.force_login(alice)
    text = client.get("/").content.decode()
    assert 'id="nav-messages"' in text
    assert 'text-bg-danger">3<span class="visually-hidden"> 未读</span>' in text
    assert "您有 3 条未读消息" in text


def test_unread_filter(client, alice):
    read, unread = make(alice, 2)
    read.subject = "已读过的"
    read.save()
    Message.objects.filter(pk=read.pk).update(read_at="2026-01-01T00:00:00Z")
    client.force_login(alice)
    text = client.get("/notifications/?unread=1").content.decode()
    assert unread.subject in text
    assert "已读过的" not in text


@pytest.mark.parametrize("count", [1, 50])
def test_list_query_count_does_not_grow_with_messages(client, alice, count):
    client.force_login(alice)
    make(alice, 1)
    client.get("/notifications/")  # warm up (content types, session)
    with CaptureQueriesContext(connection) as one:
        client.get("/notifications/")
    make(alice, count)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/notifications/")
    assert response.status_code == 200
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_mark_one_read(client, alice):
    message, other = make(alice, 2)
    client.force_login(alice)
    response = client.post(f"/notifications/{message.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    message.refresh_from_db()
    other.refresh_from_db()
    assert message.read_at is not None
    assert other.read_at is None


def test_mark_one_read_with_htmx_returns_the_row_and_the_badge(client, alice):
    message, _other = make(alice, 2)
    client.force_login(alice)
    response = client.post(f"/notifications/{message.pk}/read/", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert f'id="message-{message.pk}"' in text
    assert "已于" in text  # "read at …"
    assert 'hx-swap-oob="true"' in text
    assert "<html" not in text


def test_open_marks_read_and_follows_the_link(client, alice):
    (message,) = make(alice, 1, link="/applications/")
    client.force_login(alice)
    response = client.post(f"/notifications/{message.pk}/read/", {"open": "1"})
    assert response["Location"] == "/applications/"
    message.refresh_from_db()
    assert message.read_at is not None


def test_open_never_redirects_off_site(client, alice):
    (message,) = make(alice, 1, link="https://evil.example.com/")
    client.force_login(alice)
    response = client.post(f"/notifications/{message.pk}/read/", {"open": "1"})
    assert response["Location"] == "/notifications/"


def test_mark_all_read_only_touches_my_messages(client, alice, bob):
    make(alice, 3)
    (bobs,) = make(bob, 1)
    client.force_login(alice)
    response = client.post("/notifications/read-all/", follow=True)
    assert "已将 3 条消息标为已读" in response.content.decode()
    assert not Message.objects.filter(recipient=alice, read_at__isnull=True).exists()
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_someone_elses_message_cannot_be_marked(client, alice, bob):
    (bobs,) = make(bob, 1, subject="鲍勃的私信", link="/reviews/")
    client.force_login(alice)
    assert client.post(f"/notifications/{bobs.pk}/read/").status_code == 404
    response = client.post(f"/notifications/{bobs.pk}/read/", {"open": "1"})
    assert response.status_code == 404
    assert "鲍勃的私信" not in response.content.decode()
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_marking_needs_post(client, alice):
    (message,) = make(alice, 1)
    client.force_login(alice)
    assert client.get(f"/notifications/{message.pk}/read/").status_code == 405
    assert client.get("/notifications/read-all/").status_code == 405
    message.refresh_from_db()
    assert message.read_at is None


def test_anonymous_visitors_are_sent_to_login(client, alice):
    (message,) = make(alice, 1)
    assert client.get("/notifications/")["Location"].startswith("/accounts/login/")
    response = client.post(f"/notifications/{message.pk}/read/")
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.read_at is None


def test_pagination(client, alice):
    make(alice, 25)
    client.force_login(alice)
    first = client.get("/notifications/").content.decode()
    assert "第 1 页，共 2 页" in first
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count('class="list-group-item message-') == 5


def test_the_cached_badge_follows_every_message_and_every_read(client, alice, settings):
    """With the count cached (INBOX_COUNT_SECONDS), notify and mark_read drop it: the next
    page shows the new count; a change made past the services is not seen meanwhile."""
    settings.INBOX_COUNT_SECONDS = 60
    badge = 'text-bg-danger">{}<span class="visually-hidden"> 未读</span>'
    notify(recipients=[alice], subject="第一条")
    client.force_login(alice)
    assert badge.format(1) in client.get("/").content.decode()
    make(alice)  # past the services: the cached count stays
    assert badge.format(1) in client.get("/").content.decode()
    notify(recipients=[alice], subject="第三条")
    assert badge.format(3) in client.get("/").content.decode()
    first = Message.objects.get(subject="第一条")
    client.post(f"/notifications/{first.pk}/read/")
    assert badge.format(2) in client.get("/").content.decode()
    client.post("/notifications/read-all/")
    assert 'id="nav-messages"' in (page := client.get("/").content.decode())
    assert "text-bg-danger" not in page.split('id="nav-messages"')[1].split("</a>")[0]
