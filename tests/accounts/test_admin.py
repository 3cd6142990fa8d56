"""The admin works for every foundation model; audit events and messages are read-only there;
only staff get in, and staff see only what their permissions allow."""

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction

from accounts.models import City, Department, Organization
from accounts.roles import ADMINISTRATOR
from audit.models import AuditEvent
from audit.services import record
from centers.models import IndustryField, StrategicArea
from notifications.models import Message
from tests.factories import OrganizationFactory, UserFactory, applicant, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True, roles=[ADMINISTRATOR])


@pytest.fixture
def event():
    org = OrganizationFactory(name="太原审计测试有限公司")
    with transaction.atomic():
        return record(
            actor=officer(),
            action="organization.verify",
            target=org,
            from_state="pending",
            to_state="verified",
            data={"label": "审核通过"},
        )


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/add/",
        "/admin/accounts/organization/",
        "/admin/accounts/organization/?org_type__exact=enterprise",
        "/admin/accounts/organization/?q=太原",
        "/admin/accounts/department/",
        "/admin/accounts/city/",
        "/admin/centers/industryfield/",
        "/admin/centers/industryfield/add/",
        "/admin/centers/strategicarea/",
        "/admin/audit/auditevent/",
        "/admin/notifications/message/",
    ],
)
def test_admin_pages_open_for_a_superuser(client, superuser, event, url):
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 200, url


def test_admin_change_pages_open(client, superuser, event):
    org = OrganizationFactory()
    user = applicant(org)
    Message.objects.create(recipient=user, subject="测试消息")
    client.force_login(superuser)
    for url in [
        f"/admin/accounts/organization/{org.pk}/change/",
        f"/admin/accounts/organization/{org.pk}/permissions/",
        f"/admin/accounts/user/{user.pk}/change/",
        f"/admin/accounts/department/{Department.province().pk}/change/",
        f"/admin/accounts/city/{City.objects.first().pk}/change/",
        f"/admin/centers/industryfield/{IndustryField.objects.first().pk}/change/",
        f"/admin/centers/strategicarea/{StrategicArea.objects.first().pk}/change/",
        f"/admin/audit/auditevent/{event.pk}/change/",
        f"/admin/notifications/message/{Message.objects.get().pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url


def test_admin_is_in_chinese(client, superuser):
    OrganizationFactory(name="晋中测试材料有限公司")
    client.force_login(superuser)
    text = client.get("/admin/accounts/organization/").content.decode()
    assert "晋中测试材料有限公司" in text
    assert "统一社会信用代码" in text and "单位类型" in text and "审核状态" in text
    assert "山西省技术创新中心管理平台" in text


def test_administrators_extend_the_industry_fields(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/centers/industryfield/add/",
        {
            "code": "F15",
            "name": "低空经济",
            "order": "15",
            "note": "",
            "valid_from": "",
            "valid_to": "",
        },
    )
    assert response.status_code == 302
    assert IndustryField.objects.current().filter(code="F15", name="低空经济").exists()
    assert IndustryField.objects.count() == 15


def test_user_admin_refuses_a_user_in_two_units_in_chinese(client, superuser):
    user = applicant()
    client.force_login(superuser)
    response = client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "username": user.username,
            "last_name": user.last_name,
            "first_name": user.first_name,
            "email": user.email,
            "organization": user.organization_id,
            "department": Department.province().pk,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "08:00:00",
        },
    )
    assert response.status_code == 200
    assert "用户只能属于一个单位或一个部门" in response.content.decode()
    user.refresh_from_db()
    assert user.department_id is None


def test_user_admin_shows_role_labels_and_filters_by_role(client, superuser):
    alice = applicant(username="alice")
    client.force_login(superuser)
    text = client.get("/admin/accounts/user/?role=applicant").content.decode()
    assert "alice" in text and "申报单位" in text
    text = client.get("/admin/accounts/user/?role=provincial_officer").content.decode()
    assert alice.username not in text


# --- audit events are read-only ---------------------------------------------------


def test_audit_admin_offers_no_add_change_or_delete_even_to_a_superuser(client, superuser, event):
    client.force_login(superuser)
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    assert "审核通过" in page
    client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "tampered"})
    client.post(
        "/admin/audit/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert AuditEvent.objects.filter(pk=event.pk, action="organization.verify").exists()


def test_staff_with_only_view_permission_cannot_change_audit_events(client, event):
    viewer = staff_with("view_auditevent")
    client.force_login(viewer)
    listing = client.get("/admin/audit/auditevent/")
    assert listing.status_code == 200
    assert "太原审计测试有限公司" in listing.content.decode()
    detail = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()

    response = client.post(
        f"/admin/audit/auditevent/{event.pk}/change/",
        {"action": "tampered", "to_state": "rejected"},
    )
    assert response.status_code == 403
    assert (
        client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    event_now = AuditEvent.objects.get(pk=event.pk)
    assert (event_now.action, event_now.to_state) == ("organization.verify", "verified")


def test_staff_without_permissions_cannot_see_audit_events_or_organizations(client, event):
    client.force_login(staff_with())
    assert client.get("/admin/audit/auditevent/").status_code == 403
    org = Organization.objects.get(name="太原审计测试有限公司")
    assert client.get(f"/admin/accounts/organization/{org.pk}/change/").status_code == 403


def test_messages_are_read_only_in_the_admin(client, superuser):
    message = Message.objects.create(recipient=applicant(), subject="原标题")
    client.force_login(superuser)
    assert client.get("/admin/notifications/message/add/").status_code == 403
    client.post(f"/admin/notifications/message/{message.pk}/change/", {"subject": "改过"})
    assert Message.objects.get(pk=message.pk).subject == "原标题"


# --- who gets into the admin --------------------------------------------------------


def test_organization_users_are_sent_away_from_the_admin(client):
    org_a, org_b = OrganizationFactory(), OrganizationFactory()
    client.force_login(applicant(org_a))
    for url in [
        "/admin/",
        "/admin/accounts/organization/",
        f"/admin/accounts/organization/{org_b.pk}/change/",
        f"/admin/accounts/organization/{org_a.pk}/change/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get("/admin/audit/auditevent/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
