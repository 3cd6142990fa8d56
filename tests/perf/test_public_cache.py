"""Cached public pages: a change shows on the very next request; nobody gets another's page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers.models import Center
from centers.services import changes, designation
from tests.centers.change_factories import dept_user, filed, make_center, rename_data
from tests.centers.factories import approved_plan, publicized_plan
from tests.factories import officer as make_officer

pytestmark = pytest.mark.django_db

REGISTRY = reverse("centers:registry")


def _text(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.getvalue().decode("utf-8-sig")


def test_second_visit_is_served_from_the_cache_with_the_visitors_own_csrf_token(client):
    center = make_center()
    first = _text(client, reverse("centers:registry_detail", args=[center.number]))
    other = type(client)()  # another visitor, no cookie
    with CaptureQueriesContext(connection) as hit:
        response = other.get(reverse("centers:registry_detail", args=[center.number]))
    assert len(hit) == 0
    page = response.content.decode()
    assert center.name in page and center.name in first
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert token not in first  # not the first visitor's token
    # the language switch of the cached page works with the token it carries
    other.cookies.update(response.cookies)
    other.handler.enforce_csrf_checks = True
    switched = other.post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302


def test_a_rename_shows_at_once_on_the_list_the_center_page_and_the_exports(client):
    center = make_center()
    officer = make_officer()
    detail = reverse("centers:registry_detail", args=[center.number])
    before = [_text(client, u) for u in (REGISTRY, detail, reverse("centers:registry_csv"))]
    assert all(center.name in text for text in before)
    request = filed(center, data=rename_data("山西省碳基先进材料技术创新中心"))
    changes.change_request_decide(
        actor=dept_user(center),
        request_id=request.pk,
        decision="approve",
        opinion="同意上报。",
        expected_status="dept_review",
    )
    changes.change_request_decide(
        actor=officer,
        request_id=request.pk,
        decision="approve",
        opinion="同意更名。",
        expected_status="province_review",
    )
    for url in (
        REGISTRY,
        detail,
        reverse("centers:registry_csv"),
        reverse("centers:registry_json"),
    ):
        assert "山西省碳基先进材料技术创新中心" in _text(client, url), url
    # the former name is still found by the search, now as a former name
    assert "碳基先进材料" in _text(client, REGISTRY, q=center.name)


def test_designation_and_revocation_show_at_once(client):
    officer = make_officer()
    app, _notice = publicized_plan(actor=officer, name="半导体")
    assert app.full_name not in _text(client, REGISTRY)
    assert app.full_name not in _text(client, REGISTRY, status="revoked")
    center = designation.designate(actor=None, application_id=app.pk)
    assert center.name in _text(client, REGISTRY)
    assert center.number in _text(client, reverse("centers:registry_csv"))
    center.status = Center.Status.REVOKED  # the evaluation's revocation saves the center
    center.save(update_fields=["status"])
    assert center.name in _text(client, REGISTRY, status="revoked")


def test_a_published_notice_shows_at_once(client, calendar_known_ahead):
    from centers.services import publicity

    officer = make_officer()
    app = approved_plan(actor=officer, name="大数据")
    empty = _text(client, reverse("centers:public_index"))
    notice = publicity.publicity_publish(actor=officer, application_ids=[app.pk])
    assert notice.title not in empty
    assert notice.title in _text(client, reverse("centers:public_index"))


def test_logged_in_users_and_visitors_with_a_session_get_their_own_page(client):
    center = make_center()
    _text(client, REGISTRY)  # cached for visitors
    staff = center._test_staff
    client.force_login(staff)
    with CaptureQueriesContext(connection) as rendered:
        page = _text(client, REGISTRY)
    assert len(rendered) > 0  # rendered for this user, not the visitors' copy
    assert staff.username in page or "退出" in page


@pytest.mark.parametrize("name", ["centers:registry_csv", "centers:registry_json"])
def test_a_cached_export_is_sent_in_one_piece_without_a_query(client, name):
    center = make_center()
    url = reverse(name)
    first = client.get(url)
    assert first.streaming  # the first visitor's download is streamed (and stored)
    body = b"".join(first.streaming_content)
    assert center.number in body.decode("utf-8-sig")
    other = type(client)()
    with CaptureQueriesContext(connection) as hit:
        second = other.get(url)
    assert len(hit) == 0  # not even the filter form's choices
    assert not second.streaming
    assert second.content == body
    assert int(second["Content-Length"]) == len(body)
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second["Content-Type"] == first["Content-Type"]
    # a filtered download is its own entry
    filtered = b"".join(other.get(url, {"q": "不存在的中心"}).streaming_content)
    assert center.number not in filtered.decode("utf-8-sig")


def test_a_process_serves_its_own_copy_until_another_process_changes_the_data(client, monkeypatch):
    from django.core.cache import cache

    from centers import public_cache

    center = make_center()
    detail = reverse("centers:registry_detail", args=[center.number])
    _text(client, detail)  # rendered, stored in the shared cache and in this process
    asked = []
    real_get = cache.get
    monkeypatch.setattr(cache, "get", lambda k, *a, **kw: asked.append(k) or real_get(k, *a, **kw))
    assert center.name in _text(type(client)(), detail)
    assert asked == [public_cache.VERSION_KEY]  # the page itself came from this process
    # another process renames the center: its rows change and it bumps the shared version;
    # this process's copy is under the old version and is not served again
    Center.objects.filter(pk=center.pk).update(name="山西省另一个技术创新中心")
    cache.set(public_cache.VERSION_KEY, "bumped-elsewhere", timeout=None)
    assert "山西省另一个技术创新中心" in _text(type(client)(), detail)


def test_the_local_copies_stay_within_their_bytes():
    from centers.public_cache import _LocalCopies

    copies = _LocalCopies(1000)
    for i in range(10):
        copies.put(f"k{i}", f"v{i}", 200)
    assert copies.size <= 1000
    assert copies.get("k0") is None and copies.get("k9") == "v9"  # the oldest went first
    copies.put("big", "x", 251)  # over a quarter of the limit: not kept
    assert copies.get("big") is None


def test_the_notice_pdf_is_sent_from_the_cache_and_an_unpublished_one_stays_404(
    client, calendar_known_ahead
):
    import datetime as dt

    from centers import rules
    from centers.services import publicity

    officer = make_officer()
    _app, notice = publicized_plan(actor=officer, name="半导体")
    url = reverse("centers:public_notice_pdf", args=[notice.pk])
    first = client.get(url)
    body = b"".join(first.streaming_content)
    assert body.startswith(b"%PDF")
    with CaptureQueriesContext(connection) as hit:
        second = type(client)().get(url)
    assert len(hit) == 0
    assert second.content == body and second["Content-Type"] == "application/pdf"
    assert second["Content-Disposition"] == f'inline; filename="publicity-notice-{notice.pk}.pdf"'
    later = approved_plan(actor=officer, name="大数据")
    future = rules.local_now().date() + dt.timedelta(days=3)
    unpublished = publicity.publicity_publish(
        actor=officer, application_ids=[later.pk], start=future
    )
    for _ in range(2):  # a refusal is never stored
        missing = client.get(reverse("centers:public_notice_pdf", args=[unpublished.pk]))
        assert missing.status_code == 404


@pytest.mark.parametrize("name", ["centers:registry_csv", "centers:registry_json"])
def test_an_export_reads_the_centers_chunk_by_chunk_and_sends_big_pieces(client, monkeypatch, name):
    from centers import registry_export

    monkeypatch.setattr(registry_export, "CHUNK", 2)
    numbers = [make_center().number for _ in range(5)]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
        assert response.streaming
        pieces = list(response.streaming_content)
    body = b"".join(pieces).decode("utf-8-sig")
    assert all(number in body for number in numbers)
    # the former names are asked once per chunk of centers read: 5 centers in chunks of 2
    former = [q for q in queries if "centers_centername" in q["sql"] and "valid_to" in q["sql"]]
    assert len(former) == 3
    # lines are joined into pieces of up to SEND_BYTES, not written to the socket one by one
    assert len(pieces) == 1


def test_a_download_too_big_to_store_is_streamed_to_every_visitor(client, monkeypatch):
    from centers import public_cache

    monkeypatch.setattr(public_cache, "STORED_DOWNLOAD_BYTES", 100)
    monkeypatch.setattr(public_cache, "SEND_BYTES", 50)
    center = make_center()
    url = reverse("centers:registry_csv")
    first = client.get(url)
    body = b"".join(first.streaming_content)
    assert len(body) > 100 and center.number in body.decode("utf-8-sig")
    second = type(client)().get(url)
    assert second.streaming  # not stored: produced again, piece by piece
    assert b"".join(second.streaming_content) == body
