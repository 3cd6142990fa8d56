"""Art. 8 eligibility at submit: every failing rule, at once, in Chinese, with a section."""

import pytest

from accounts.models import City
from applications import eligibility
from applications.models import Attachment
from applications.services import (
    TransitionError,
    application_save_section,
    application_submit,
    attachment_remove,
)
from applications.testing import make_complete_plan
from tests.factories import OrganizationFactory, applicant

pytestmark = pytest.mark.django_db


def rules(app):
    return {p["rule"]: p for p in eligibility.problems(app)}


def set_section(app, user, code, **changes):
    data = dict(app.plan[code])
    data.update(changes)
    application_save_section(actor=user, application_id=app.pk, section=code, data=data)
    app.refresh_from_db()


def test_complete_plan_has_no_problems(plan):
    assert eligibility.problems(plan) == []


def test_director_without_full_senior_title(plan, user):
    set_section(plan, user, "director", title_level="senior_deputy")
    p = rules(plan)["director_title"]
    assert p["message"] == "中心主任应具有正高级专业技术职称。"
    assert p["section"] == "director"


def test_area_below_1000_for_domain(plan, user):
    set_section(plan, user, "facilities", area_m2=999.5)
    p = rules(plan)["area"]
    assert "不少于1000平方米" in p["message"] and "999.5" in p["message"]
    assert p["section"] == "facilities"


def test_area_of_headquarters_for_comprehensive(db):
    org = OrganizationFactory(org_type="university")
    user = applicant(org)
    app = make_complete_plan(org, user, name="综合创新", kind="comprehensive")
    assert eligibility.problems(app) == []
    lead = dict(app.plan["lead"])
    lead["headquarters"] = {**lead["headquarters"], "area_m2": 800}
    application_save_section(actor=user, application_id=app.pk, section="lead", data=lead)
    app.refresh_from_db()
    p = rules(app)["area"]
    assert "中心（本部）使用面积应不少于1000平方米" in p["message"]
    assert p["section"] == "lead"


def test_organization_outside_shanxi(db):
    org = OrganizationFactory(registered_province="河北省", registered_city=None)
    user = applicant(org)
    app = make_complete_plan(org, user)
    p = rules(app)["lead_in_shanxi"]
    assert "牵头单位应在山西省内注册登记" in p["message"] and "河北省" in p["message"]


def test_invalid_credit_code_and_not_legal_person(plan):
    org = plan.organization
    code = org.credit_code
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    type(org).objects.filter(pk=org.pk).update(credit_code=bad, is_legal_person=False)
    plan.organization.refresh_from_db()
    found = rules(plan)
    assert "校验位错误" in found["credit_code"]["message"]
    assert found["legal_person"]["message"] == "牵头单位应具有独立法人资格。"


def test_unverified_organization(plan):
    type(plan.organization).objects.filter(pk=plan.organization_id).update(status="pending")
    plan.organization.refresh_from_db()
    assert "核验通过后方可提交" in rules(plan)["organization_verified"]["message"]


def test_lead_type_must_fit_the_kind(db):
    org = OrganizationFactory(org_type="enterprise")
    user = applicant(org)
    app = make_complete_plan(org, user, name="综合", kind="comprehensive")
    p = rules(app)["lead_type"]
    assert "综合类技术创新中心的牵头单位应为高等院校、科研院所或新型研发机构" in p["message"]
    assert p["section"] == "basics"


def test_comprehensive_needs_strategic_area_and_rd_institution(db):
    org = OrganizationFactory(org_type="research_institute")
    user = applicant(org)
    app = make_complete_plan(org, user, name="综合", kind="comprehensive")
    app.strategic_areas.clear()
    lead = dict(app.plan["lead"], rd_institutions=[])
    application_save_section(actor=user, application_id=app.pk, section="lead", data=lead)
    app.refresh_from_db()
    found = rules(app)
    assert "至少一个服务的重大战略区域" in found["strategic_area"]["message"]
    assert "至少一个专业化创新研发机构" in found["rd_institution"]["message"]


def test_domain_needs_industry_field(plan):
    type(plan).objects.filter(pk=plan.pk).update(industry_field=None)
    plan.refresh_from_db()
    assert "所属产业领域" in rules(plan)["industry_field"]["message"]


def test_declaration_must_be_ticked_and_signed(plan, user):
    set_section(plan, user, "declaration", compliant=False, signed_by="")
    p = rules(plan)["declaration"]
    assert "合规声明" in p["message"] and p["section"] == "declaration"


def test_missing_attachments_listed_by_name(plan, user):
    for a in Attachment.objects.filter(application=plan, kind__in=["charter", "credit_report"]):
        attachment_remove(actor=user, application_id=plan.pk, attachment_id=a.pk)
    p = rules(plan)["attachments"]
    assert p["message"] == "缺少必需附件：章程、信用报告。"
    assert p["section"] == "attachments"


def test_incomplete_section_named(plan, user):
    set_section(plan, user, "team", key_members=[], composition="")
    p = rules(plan)["incomplete:team"]
    assert "「科研团队」尚未填写完整" in p["message"] and "人员构成" in p["message"]


def test_all_failures_at_once_and_submit_refused(db):
    org = OrganizationFactory(registered_province="河北省", registered_city=None, status="pending")
    user = applicant(org)
    app = make_complete_plan(org, user)
    set_section(app, user, "director", title_level="intermediate")
    set_section(app, user, "facilities", area_m2=500)
    Attachment.objects.filter(application=app, kind="credit_report").update(
        removed_at="2026-01-01T00:00Z"
    )
    found = rules(app)
    assert {
        "lead_in_shanxi",
        "organization_verified",
        "director_title",
        "area",
        "attachments",
    } <= set(found)
    with pytest.raises(TransitionError):
        application_submit(actor=user, application_id=app.pk)
    app.refresh_from_db()
    assert app.status == "draft"
    assert app.plan["facilities"]["area_m2"] == 500  # nothing typed is lost
    assert app.versions.count() == 0


def test_city_in_shanxi_but_other_city_is_fine(db):
    org = OrganizationFactory(registered_city=City.objects.get(name="大同市"))
    user = applicant(org)
    app = make_complete_plan(org, user)
    assert eligibility.problems(app) == []
    assert app.department.name == "大同市科学技术局"


def test_every_transition_condition_is_bound_at_start_up(monkeypatch):
    """applications.rules sits below the models; the apps above bind the implementations."""
    from django.core.exceptions import ImproperlyConfigured

    from applications import eligibility, rules
    from applications.models import Application
    from centers import rules as center_rules
    from reviews import rules as review_rules

    conditions = {
        c.__name__
        for t in Application._meta.get_field("status").get_all_transitions(Application)
        for c in t.conditions
    }
    assert conditions - {"has_opinion"} == set(rules._BOUND)
    assert rules._BOUND["eligible"] is eligibility.is_eligible
    assert rules._BOUND["panel_can_pass"] is review_rules.panel_can_pass
    assert rules._BOUND["objection_upheld_exists"] is center_rules.objection_upheld_exists
    monkeypatch.setattr(rules, "_BOUND", {})
    with pytest.raises(ImproperlyConfigured):
        rules.eligible(object())
