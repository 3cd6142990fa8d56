import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.views import View

from accounts.models import Organization
from accounts.permissions import (
    RoleRequiredMixin,
    get_object_for,
    grant,
    objects_for,
    require_role,
    revoke,
)
from accounts.roles import APPLICANT, DEPARTMENT_REVIEWER, EXPERT
from tests.factories import OrganizationFactory, UserFactory, applicant, reviewer

pytestmark = pytest.mark.django_db


def fresh(user):
    """A new instance: Django and guardian cache permission checks per instance."""
    return type(user).objects.get(pk=user.pk)


def test_grant_to_an_organization_reaches_its_staff_including_new_staff():
    org_a, org_b = OrganizationFactory(), OrganizationFactory()
    alice = applicant(org_a)

    grant("view_organization", org_a, org_b)

    assert fresh(alice).has_perm("accounts.view_organization", org_b)
    newcomer = applicant(org_a)  # joins later, inherits through the group
    assert fresh(newcomer).has_perm("accounts.view_organization", org_b)
    outsider = applicant(OrganizationFactory())
    assert not fresh(outsider).has_perm("accounts.view_organization", org_b)


def test_revoke_takes_the_permission_away():
    org_a, org_b = OrganizationFactory(), OrganizationFactory()
    alice = applicant(org_a)
    grant("accounts.view_organization", org_a.group, org_b)
    assert fresh(alice).has_perm("accounts.view_organization", org_b)

    revoke("accounts.view_organization", org_a.group, org_b)

    assert not fresh(alice).has_perm("accounts.view_organization", org_b)


def test_grant_to_a_department_and_to_a_single_user():
    org = OrganizationFactory()
    bureau_staff = reviewer("太原市")
    other_bureau = reviewer("大同市")
    grant("change_organization", bureau_staff.department, org)
    assert fresh(bureau_staff).has_perm("accounts.change_organization", org)
    assert not fresh(other_bureau).has_perm("accounts.change_organization", org)

    single = UserFactory()
    grant("view_organization", single, org)
    assert fresh(single).has_perm("accounts.view_organization", org)


def test_grant_refuses_what_is_not_a_user_group_or_unit():
    with pytest.raises(TypeError):
        grant("view_organization", "org:1", OrganizationFactory())
    with pytest.raises(ValueError):
        grant("view_organization", Group.objects.create(name="x"))  # global needs app label


def test_objects_for_and_get_object_for_filter_to_what_is_granted():
    org_a, org_b, org_c = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    alice = applicant(org_a)
    grant("change_organization", org_a, org_b)
    qs = Organization.objects.all()

    assert list(objects_for(alice, "accounts.change_organization", qs)) == [org_b]
    assert get_object_for(alice, "accounts.change_organization", qs, pk=org_b.pk) == org_b
    with pytest.raises(Http404):
        get_object_for(alice, "accounts.change_organization", qs, pk=org_c.pk)
    assert list(objects_for(AnonymousUser(), "accounts.change_organization", qs)) == []


def test_a_global_permission_never_opens_an_object():
    org = OrganizationFactory()
    holder = UserFactory()
    grant("accounts.change_organization", holder)  # global, model-level
    holder = fresh(holder)
    assert holder.has_perm("accounts.change_organization")
    qs = Organization.objects.all()
    assert org not in objects_for(holder, "accounts.change_organization", qs)
    with pytest.raises(Http404):
        get_object_for(holder, "accounts.change_organization", qs, pk=org.pk)


# --- require_role / RoleRequiredMixin ------------------------------------------------


@require_role(APPLICANT, EXPERT)
def _applicant_view(request):
    return HttpResponse("ok")


class _ReviewerView(RoleRequiredMixin, View):
    required_roles = (DEPARTMENT_REVIEWER,)

    def get(self, request):
        return HttpResponse("ok")


def _request(user):
    request = RequestFactory().get("/somewhere/?x=1")
    request.user = user
    return request


def test_require_role_lets_a_holder_of_any_listed_role_in():
    assert _applicant_view(_request(applicant())).content == b"ok"
    assert _applicant_view(_request(UserFactory(roles=[EXPERT]))).content == b"ok"


def test_require_role_refuses_other_roles_with_a_chinese_reason():
    with pytest.raises(PermissionDenied) as refused:
        _applicant_view(_request(reviewer()))
    assert "申报单位" in str(refused.value)
    assert "专家" in str(refused.value)


def test_require_role_sends_anonymous_users_to_the_login_page():
    response = _applicant_view(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert "somewhere" in response["Location"]


def test_role_required_mixin():
    view = _ReviewerView.as_view()
    assert view(_request(reviewer())).content == b"ok"
    with pytest.raises(PermissionDenied):
        view(_request(applicant()))
    assert view(_request(AnonymousUser())).status_code == 302


@pytest.mark.urls("tests.ui.urls")
def test_require_role_through_the_stack_renders_the_chinese_403_page(client):
    """A real request: PermissionDenied from require_role becomes the Chinese 403 page."""
    client.force_login(reviewer())
    response = client.get("/test-only-applicants/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "没有权限" in text
    assert "申报单位" in text


@pytest.mark.urls("tests.ui.urls")
def test_require_role_through_the_stack_sends_anonymous_to_login(client):
    response = client.get("/test-only-applicants/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/test-only-applicants/"
