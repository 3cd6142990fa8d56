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
