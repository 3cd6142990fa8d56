"""Art. 8 boundaries: an area of exactly 1000 m² is enough, a hair less is not."""

import pytest

from applications import eligibility
from applications.services import application_save_section
from applications.testing import make_complete_plan
from tests.factories import OrganizationFactory, applicant

pytestmark = pytest.mark.django_db


def rules(app):
    return {p["rule"]: p for p in eligibility.problems(app)}


def save(app, user, code, data):
    application_save_section(actor=user, application_id=app.pk, section=code, data=data)
    app.refresh_from_db()


@pytest.mark.parametrize(("area", "refused"), [(1000, False), (999.99, True), (1000.01, False)])
def test_domain_center_area_boundary(plan, user, area, refused):
    save(plan, user, "facilities", {**plan.plan["facilities"], "area_m2": area})
    assert plan.plan["facilities"]["area_m2"] == area
    found = rules(plan)
    assert ("area" in found) is refused
    if refused:
        assert "当前：999.99平方米" in found["area"]["message"]
    else:
        assert eligibility.problems(plan) == []


@pytest.mark.parametrize(("area", "refused"), [(1000, False), (999, True)])
def test_comprehensive_headquarters_area_boundary(db, area, refused):
    org = OrganizationFactory(org_type="university")
    user = applicant(org)
    app = make_complete_plan(org, user, name="综合创新", kind="comprehensive")
    lead = dict(app.plan["lead"])
    lead["headquarters"] = {**lead["headquarters"], "area_m2": area}
    save(app, user, "lead", lead)
    found = rules(app)
    assert ("area" in found) is refused
    if refused:
        assert found["area"]["section"] == "lead"
        assert (
            "中心（本部）使用面积应不少于1000平方米（当前：999平方米）" in found["area"]["message"]
        )


def test_minimum_area_constant_is_the_regulations():
    assert eligibility.MIN_AREA_M2 == 1000
