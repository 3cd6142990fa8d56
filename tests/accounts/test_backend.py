"""The password backend loads the request's user with the unit it belongs to, which every
page shows in the navigation (accounts/backends.py)."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import UnitModelBackend
from accounts.models import User
from accounts.roles import ADMINISTRATOR, EXPERT, PROVINCIAL_OFFICER, grant_role, group_name
from tests.factories import applicant, officer, reviewer

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


def role_queries(ctx):
    """The queries reading a user's role groups on their own (the user's query reads them in
    a subquery)."""
    return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "auth_group"')]


@pytest.mark.parametrize("make", [applicant, reviewer])
def test_the_roles_come_with_the_user_in_one_query(client, make):
    user = make()
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/").content.decode()
    assert role_queries(ctx) == []
    # and they are the user's roles: the role's navigation is on the page, no other's
    mine, other = ("applications:home", "applications:review_inbox")
    if make is reviewer:
        mine, other = other, mine
    assert f'href="{reverse(mine)}"' in nav_of(page)
    assert f'href="{reverse(other)}"' not in nav_of(page)


def test_a_role_taken_away_is_gone_on_the_next_request(client):
    user = officer()
    client.force_login(user)
    evaluations = 'data-nav-group="evaluations"'  # the officer's menu
    assert evaluations in nav_of(client.get("/").content.decode())
    user.groups.remove(Group.objects.get(name=group_name(PROVINCIAL_OFFICER)))
    assert evaluations not in nav_of(client.get("/").content.decode())
    user.groups.add(Group.objects.get(name=group_name(PROVINCIAL_OFFICER)))
    assert evaluations in nav_of(client.get("/").content.decode())


def test_a_user_with_several_roles_and_other_groups_gets_exactly_its_roles():
    user = officer()
    grant_role(user, EXPERT)
    user.groups.add(Group.objects.create(name="单位：某大学"))  # a unit group, not a role
    loaded = UnitModelBackend().get_user(user.pk)
    assert loaded._role_cache == {PROVINCIAL_OFFICER, EXPERT}
    superuser = User.objects.create_superuser("root", password="Demo-pass-2026")
    assert UnitModelBackend().get_user(superuser.pk)._role_cache == {ADMINISTRATOR}


def nav_of(page):
    return page[page.index("<nav") : page.index("</nav>")]
