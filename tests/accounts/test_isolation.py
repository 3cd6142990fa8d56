"""A user of one organization cannot open another organization's objects, in the app or the admin.

App side: the organization profile (accounts) and, since the applications views exist,
a plan of organization A opened by a user of organization B. Admin side: organization
users are not staff and are sent to the admin login; a staff user without permissions
gets 403 on another organization's change page.
"""

import pytest
from django.test import override_settings

from accounts.permissions import grant, revoke
from tests.factories import OrganizationFactory, UserFactory, applicant, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_a():
    return OrganizationFactory(name="太原甲测试有限公司")


@pytest.fixture
def org_b():
    return OrganizationFactory(name="大同乙测试有限公司")


def test_members_see_their_own_organization(client, org_a):
    client.force_login(applicant(org_a, username="alice"))
    response = client.get(f"/accounts/organizations/{org_a.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "太原甲测试有限公司" in text
    assert org_a.credit_code in text
    assert "alice" in text  # the member list


@override_settings(DEBUG=False)
def test_another_organizations_profile_is_404_in_chinese(client, org_a, org_b):
    applicant(org_b, username="bob_b")
    client.force_login(applicant(org_a))
    response = client.get(f"/accounts/organizations/{org_b.pk}/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in text
    assert "大同乙测试有限公司" not in text and "bob_b" not in text


def test_an_object_permission_granted_to_a_unit_opens_it_and_revoking_closes_it(
    client, org_a, org_b
):
    client.force_login(applicant(org_a))
    grant("view_organization", org_a, org_b)
    assert client.get(f"/accounts/organizations/{org_b.pk}/").status_code == 200
    revoke("view_organization", org_a, org_b)
    assert client.get(f"/accounts/organizations/{org_b.pk}/").status_code == 404


def test_anonymous_visitors_must_log_in(client, org_a):
    response = client.get(f"/accounts/organizations/{org_a.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_plan_of_organization_a_is_404_for_organization_b(client, org_a, org_b):
    from applications import services
    from applications.forms import default_department
    from centers.models import IndustryField

    alice = applicant(org_a)
    plan = services.application_create(
        actor=alice,
        name="甲测试材料",
        kind="domain",
        industry_field=IndustryField.objects.current().order_by("order").first(),
        strategic_areas=[],
        department=default_department(org_a),
    )
    client.force_login(alice)
    assert client.get(f"/applications/{plan.pk}/").status_code == 200

    client.force_login(applicant(org_b))
    for url in [
        f"/applications/{plan.pk}/",
        f"/applications/{plan.pk}/edit/basics/",
        f"/applications/{plan.pk}/compare/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "甲测试材料" not in response.content.decode()
    assert "甲测试材料" not in client.get("/applications/").content.decode()
    # A city bureau the plan is not routed to does not see it either.
    client.force_login(reviewer("大同市"))
    response = client.get(f"/applications/{plan.pk}/")
    assert response.status_code in (403, 404)
    assert "甲测试材料" not in response.content.decode()


def test_organization_users_cannot_reach_another_organization_in_the_admin(client, org_a, org_b):
    client.force_login(applicant(org_a))
    response = client.get(f"/admin/accounts/organization/{org_b.pk}/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_of_organization_a_without_permissions_gets_403_on_b_in_the_admin(
    client, org_a, org_b
):
    staff = UserFactory(organization=org_a, is_staff=True)
    grant("view_organization", org_a, org_a)  # an object permission on their own only
    client.force_login(staff)
    assert client.get(f"/admin/accounts/organization/{org_b.pk}/change/").status_code == 403
    assert client.get("/admin/accounts/organization/").status_code == 403
