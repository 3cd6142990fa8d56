"""In a real browser: an organization's page for its member during a pending rename, and the
Datong bureau refused on it (issue 8, items 2 and 6)."""

import pytest

from accounts.services.changes import organization_update
from tests.factories import OrganizationFactory, applicant, reviewer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_sees_the_public_name_and_another_bureau_is_refused(
    page, live_server, login, tmp_path
):
    org = OrganizationFactory(name="太原晋阳精密仪器有限公司")
    member = applicant(org, username="ty_member")
    organization_update(
        actor=member, organization_id=org.pk, data={"name": "太原晋阳精密仪器集团有限公司"}
    )
    reviewer("大同市", username="dt_reviewer")
    url = f"{live_server.url}/accounts/organizations/{org.pk}/"

    login(page, live_server, "ty_member")
    page.goto(url)
    page.screenshot(path=str(tmp_path / "organization_member.png"), full_page=True)
    assert page.locator("h1").inner_text() == "太原晋阳精密仪器集团有限公司"
    assert "太原晋阳精密仪器有限公司" in page.locator(".organization-verified-name").inner_text()

    page.context.clear_cookies()
    login(page, live_server, "dt_reviewer")
    response = page.goto(url)
    page.screenshot(path=str(tmp_path / "organization_refused.png"), full_page=True)
    assert response.status == 404
    body = page.locator("body").inner_text()
    assert (
        "太原晋阳精密仪器" not in body and org.credit_code not in body and "ty_member" not in body
    )
