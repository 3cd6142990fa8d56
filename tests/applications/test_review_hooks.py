"""after_transition: versions on submit, routing, and who is told what."""

import pytest

from applications.hooks import NOTICES
from applications.services import application_transition
from notifications.models import Message
from tests.applications.review_factories import plan_in_recheck, submitted_plan
from tests.factories import UserFactory, applicant, officer, reviewer

pytestmark = pytest.mark.django_db


def test_submit_freezes_version_numbers_and_tells_only_the_departments_reviewers():
    ty, dt = reviewer("太原市"), reviewer("大同市")
    app = submitted_plan(name="氢能")

    assert app.versions.count() == 1
    assert app.versions.get().data["plan"]["director"]["name"] == "张建国"
    assert app.number and app.submitted_at
    assert Message.objects.filter(recipient=ty, subject__contains="新的建设方案待审核").exists()
    assert not Message.objects.filter(recipient=dt).exists()
    note = Message.objects.get(recipient=ty)
    assert note.link == f"/applications/review/{app.pk}/"


def test_approve_tells_every_provincial_officer_with_the_opinion():
    officers = [officer(), officer()]
    app = plan_in_recheck()

    for person in officers:
        note = Message.objects.get(recipient=person)
        assert note.subject == f"建设方案待复核：{app.full_name}"
        assert "审核意见：材料齐全，同意推荐。" in note.body


def test_return_tells_the_organizations_applicants_with_reasons_not_outsiders():
    app = submitted_plan()
    colleague = applicant(app.organization)
    stranger = applicant()
    inactive = applicant(app.organization, is_active=False)
    expert = UserFactory(roles=["expert"])

    application_transition(
        actor=reviewer("太原市"),
        application_id=app.pk,
        transition="return_plan",
        reason="请补充共建协议。",
    )

    for person in (app.created_by, colleague):
        note = Message.objects.get(recipient=person)
        assert "被退回修改" in note.subject
        assert "退回理由：请补充共建协议。" in note.body
    for person in (stranger, inactive, expert):
        assert not Message.objects.filter(recipient=person).exists()


def test_resubmit_freezes_version_two_and_keeps_the_department():
    app = submitted_plan()
    ty = reviewer("太原市")
    application_transition(
        actor=ty, application_id=app.pk, transition="return_plan", reason="补充材料"
    )
    application_transition(actor=app.created_by, application_id=app.pk, transition="resubmit")

    assert list(app.versions.order_by("number").values_list("number", "reason")) == [
        (1, "submit"),
        (2, "resubmit"),
    ]
    assert ty.has_perm("applications.review_application", app)
    assert Message.objects.filter(recipient=ty, subject__contains="重新提交").exists()


def test_every_transition_of_the_graph_has_a_notice():
    from applications.models import Application

    names = {t.name for t in Application._meta.get_field("status").get_all_transitions(Application)}
    assert names <= set(NOTICES)
