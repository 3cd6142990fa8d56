"""Who reads an organization's page, seen from the refused side (issue 8, item 2).

An organization's page (credit code, contacts, member usernames) is for its members, the
department that verifies it, the departments its plans are routed to, and the provincial
S&T department; a global ``view_organization`` opens nothing.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.access import organizations_visible_to
from accounts.models import City, Department, Organization
from accounts.permissions import grant
from accounts.roles import ROLE_PERMISSIONS
from accounts.services.changes import organization_update
from tests.factories import OrganizationFactory, UserFactory, applicant, bureau, officer, reviewer

pytestmark = pytest.mark.django_db


def _url(org):
    return reverse("organization_detail", args=[org.pk])


@pytest.fixture
def taiyuan_org():
    org = OrganizationFactory(name="太原晋阳精密仪器有限公司")
    UserFactory(organization=org, username="ty_member_zhang", roles=["applicant"])
    return org


@pytest.fixture
def pending_registration():
    org = OrganizationFactory(
        name="太原待核验新材料有限公司",
        status=Organization.Status.PENDING,
        verifying_department=bureau("太原市"),
    )
    UserFactory(organization=org, username="pending_first_user", roles=["applicant"])
    return org


@pytest.fixture
def evaluator_institution():
    org = OrganizationFactory(
        name="山西第三方科技评估中心", org_type=Organization.Type.THIRD_PARTY_EVALUATOR
    )
    UserFactory(organization=org, username="evaluator_wu", roles=["evaluator"])
    return org


def _refused(client, user, org, member_username):
    client.force_login(user)
    response = client.get(_url(org))
    text = response.content.decode()
    assert response.status_code == 404
    assert org.name not in text
    assert org.credit_code not in text
    assert member_username not in text


@override_settings(DEBUG=False)
def test_datong_bureau_reads_no_taiyuan_organization_registration_or_evaluator(
    client, taiyuan_org, pending_registration, evaluator_institution
):
    datong = reviewer("大同市")
    _refused(client, datong, taiyuan_org, "ty_member_zhang")
    _refused(client, datong, pending_registration, "pending_first_user")
    _refused(client, datong, evaluator_institution, "evaluator_wu")
    # nor the licence scan of the pending registration
    licence = reverse("registration_licence", args=[pending_registration.pk])
    assert client.get(licence).status_code == 404


def test_taiyuan_bureau_reads_the_organizations_it_verifies(
    client, taiyuan_org, pending_registration, evaluator_institution
):
    client.force_login(reviewer("太原市"))
    for org, member in [
        (taiyuan_org, "ty_member_zhang"),
        (pending_registration, "pending_first_user"),
    ]:
        text = client.get(_url(org)).content.decode()
        assert org.credit_code in text and member in text
    # the evaluator institution is commissioned by the province, not by a city bureau
    assert client.get(_url(evaluator_institution)).status_code == 404


def test_provincial_officer_reads_every_organization(
    client, taiyuan_org, pending_registration, evaluator_institution
):
    client.force_login(officer())
    for org, member in [
        (taiyuan_org, "ty_member_zhang"),
        (pending_registration, "pending_first_user"),
        (evaluator_institution, "evaluator_wu"),
    ]:
        text = client.get(_url(org)).content.decode()
        assert org.name in text and org.credit_code in text and member in text


def test_members_read_their_own_and_other_applicants_do_not(client, taiyuan_org):
    client.force_login(taiyuan_org.members.get())
    assert "ty_member_zhang" in client.get(_url(taiyuan_org)).content.decode()
    _refused(client, applicant(OrganizationFactory()), taiyuan_org, "ty_member_zhang")
    _refused(client, UserFactory(roles=["expert"]), taiyuan_org, "ty_member_zhang")


def test_a_global_view_organization_opens_no_page(client, taiyuan_org):
    datong = reviewer("大同市")
    grant("accounts.view_organization", datong)  # model-level, e.g. set in the admin
    _refused(client, datong, taiyuan_org, "ty_member_zhang")


def test_no_department_role_holds_a_global_read_permission():
    # the leak came from a role-level view_organization; keep every unit-scoped role clean
    for role in ("applicant", "department_reviewer", "expert", "evaluator"):
        assert not [p for p in ROLE_PERMISSIONS[role] if ".view_" in p or ".review_" in p], role
    assert "accounts.view_organization" not in ROLE_PERMISSIONS["provincial_officer"]


def test_the_department_a_plan_is_routed_to_reads_the_lead_organization(client, taiyuan_org):
    from applications.models import Application
    from applications.permissions import grant_on_submit, revoke_department

    other = Department.objects.create(
        name="山西省工业和信息化厅", kind=Department.Kind.PROVINCIAL_DEPARTMENT
    )
    staff = UserFactory(department=other, roles=["department_reviewer"])
    client.force_login(staff)
    assert client.get(_url(taiyuan_org)).status_code == 404
    plan = Application.objects.create(
        organization=taiyuan_org,
        department=other,
        created_by=taiyuan_org.members.get(),
        name="精密仪器",
        kind="domain",
    )
    grant_on_submit(plan)
    assert "ty_member_zhang" in client.get(_url(taiyuan_org)).content.decode()
    revoke_department(plan, other.group)
    assert client.get(_url(taiyuan_org)).status_code == 404


def test_moving_city_moves_the_page_to_the_new_bureau(client, taiyuan_org):
    organization_update(
        actor=taiyuan_org.members.get(),
        organization_id=taiyuan_org.pk,
        data={"registered_city": City.objects.get(name="大同市")},
    )
    client.force_login(reviewer("大同市"))
    assert "ty_member_zhang" in client.get(_url(taiyuan_org)).content.decode()
    _refused(client, reviewer("太原市"), taiyuan_org, "ty_member_zhang")


def test_visible_list_is_per_department(taiyuan_org, pending_registration, evaluator_institution):
    datong_org = OrganizationFactory(
        name="大同示范装备有限公司", registered_city=City.objects.get(name="大同市")
    )
    assert set(organizations_visible_to(reviewer("太原市"))) == {taiyuan_org, pending_registration}
    assert set(organizations_visible_to(reviewer("大同市"))) == {datong_org}
    assert set(organizations_visible_to(officer())) >= {
        taiyuan_org,
        pending_registration,
        evaluator_institution,
        datong_org,
    }


def test_pending_registrations_list_is_per_department(client, pending_registration):
    datong_pending = OrganizationFactory(
        name="大同待核验煤机有限公司",
        status=Organization.Status.PENDING,
        registered_city=City.objects.get(name="大同市"),
        verifying_department=bureau("大同市"),
    )
    client.force_login(reviewer("大同市"))
    text = client.get(reverse("registration_pending")).content.decode()
    assert "大同待核验煤机有限公司" in text and "太原待核验新材料有限公司" not in text
    detail = reverse("registration_pending_detail", args=[pending_registration.pk])
    assert client.get(detail).status_code == 404
    client.force_login(reviewer("太原市"))
    text = client.get(reverse("registration_pending")).content.decode()
    assert "太原待核验新材料有限公司" in text and "大同待核验煤机有限公司" not in text
    assert datong_pending.pk != pending_registration.pk
