"""The password backend loads the request's user with the unit it belongs to, which every
page shows in the navigation (accounts/backends.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import applicant, reviewer

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("make", [applicant, reviewer])
def test_the_unit_in_the_navigation_costs_no_query_of_its_own(client, make):
    user = make()
    assert (
        client.post(
            "/accounts/login/", {"username": user.username, "password": "Demo-pass-2026"}
        ).status_code
        == 302
    )
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/").content.decode()
    assert f"（{user.unit}）" in page
    # the unit came with the user (a join): no query of its own reads it by id
    unit_table = f'"{user.unit._meta.db_table}"'
    own = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith(f"SELECT {unit_table}.") and f'WHERE {unit_table}."id" =' in q["sql"]
    ]
    assert own == []


def test_an_inactive_user_is_signed_out_on_the_next_request(client):
    user = applicant()
    client.force_login(user)
    user.is_active = False
    user.save()
    assert "/accounts/login/" in client.get("/applications/").url
