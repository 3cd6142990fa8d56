"""The review-side demo gives reviewer_ty, officer and applicant something to do, idempotently."""

import pytest

from accounts import demo as accounts_demo
from applications.models import Application
from applications.review_demo import seed_review_demo
from applications.selectors import applications_for_reviewer
from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_demo_plans_wait_for_each_role_and_seeding_twice_changes_nothing():
    ctx = {}
    accounts_demo.seed(ctx)
    users = ctx["users"]

    seed_review_demo(ctx)
    states = dict(Application.objects.values_list("name", "status"))
    events = AuditEvent.objects.count()
    seed_review_demo(ctx)

    assert states == {
        "氢能装备": "dept_review",
        "智能制造": "province_recheck",
        "光电信息": "returned",
        "新型储能": "expert_review",
    }
    assert dict(Application.objects.values_list("name", "status")) == states
    assert AuditEvent.objects.count() == events
    assert [
        a.name
        for a in applications_for_reviewer(user=users["reviewer_ty"]).filter(status="dept_review")
    ] == ["氢能装备"]
    assert not applications_for_reviewer(user=users["reviewer_dt"]).exists()
    assert [
        a.name
        for a in applications_for_reviewer(user=users["officer"]).filter(status="province_recheck")
    ] == ["智能制造"]
    assert "出资方式" in Application.objects.get(name="光电信息").last_reason
