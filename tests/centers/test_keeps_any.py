"""The navigation's "My center" asks one existence query (accounts.permissions.holds_any):
the same rule as the kept-centers list, from the refused users' side too."""

import pytest
from django.urls import reverse

from accounts.permissions import grant, holds_any, revoke
from centers.models import Center
from centers.selectors_center import keeps_any, kept_centers
from tests.factories import applicant, officer, reviewer

from .center_factories import designated_center


@pytest.fixture
def center_and_staff(db):
    return designated_center()


def test_keeps_any_follows_the_kept_centers_rule(center_and_staff):
    center, staff = center_and_staff
    other = applicant()
    cases = {"staff": staff, "other": other, "reviewer": reviewer("太原市"), "officer": officer()}
    assert {k: keeps_any(u) for k, u in cases.items()} == {
        "staff": True,
        "other": False,
        "reviewer": False,  # the department sees the center (view), does not keep it
        "officer": False,
    }
    for user in cases.values():
        assert keeps_any(user) == kept_centers(user).exists()

    # a global permission never stands in for the object one
    grant("centers.change_center", other)
    other = type(other).objects.get(pk=other.pk)
    assert other.has_perm("centers.change_center") and not keeps_any(other)
    # a grant to the user alone counts, and its revocation too
    grant("change_center", other, center)
    assert keeps_any(other) and kept_centers(other).exists()
    revoke("change_center", other, center)
    assert not keeps_any(other)

    with pytest.raises(ValueError):
        holds_any(staff, "accounts.change_center", Center)
    superuser = applicant(is_superuser=True)
    assert holds_any(superuser, "centers.change_center", Center)
    staff.is_active = False
    assert not keeps_any(staff)


def test_my_center_link_only_for_the_keeper(client, center_and_staff):
    _center, staff = center_and_staff
    link = reverse("centers:my_centers")
    client.force_login(staff)
    assert link in client.get(reverse("applications:home")).content.decode()
    client.force_login(applicant())
    assert link not in client.get(reverse("applications:home")).content.decode()
