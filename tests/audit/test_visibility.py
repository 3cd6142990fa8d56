"""Each kind of audit event declares whether the applicant may read it (audit.visibility)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from audit.services import record
from audit.visibility import HIDDEN, PANEL, PROVINCE, kind_of
from tests.factories import OrganizationFactory, UserFactory, applicant, officer, reviewer

pytestmark = pytest.mark.django_db


def test_kinds_match_exactly_then_by_the_longest_prefix():
    assert kind_of("reviews.member.accepted") is HIDDEN
    assert kind_of("reviews.score.submitted") is HIDDEN
    assert kind_of("reviews.panel.opinion").applicant
    assert kind_of("reviews.panel.opinion").actor_as == PANEL
    assert kind_of("reviews.visit.inspection").actor_as == PROVINCE
    assert kind_of("application.submit").applicant
    assert kind_of("documents.sequence.raised") is HIDDEN
    assert kind_of("documents.designation_notice.issued").applicant
    assert kind_of("something.new") is HIDDEN  # undeclared kinds stay internal


def render(target, user):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load audit_tags %}{% audit_timeline target %}").render(
        Context({"target": target, "request": request})
    )


def test_applicant_reads_declared_kinds_only_and_no_expert_name():
    from django.db import transaction

    org = OrganizationFactory()
    owner = applicant(org, last_name="刘", first_name="申报")
    expert = UserFactory(roles=["expert"], last_name="欧阳", first_name="明远")
    official = officer(last_name="孙", first_name="复核")
    with transaction.atomic():
        record(actor=owner, action="organization.update", target=org, data={"label": "变更"})
        record(actor=expert, action="organization.note", target=org, data={"label": "专家备注"})
        record(actor=expert, action="internal.thing", target=org, data={"label": "内部操作"})
        record(actor=official, action="organization.verify", target=org, data={"label": "核验"})
    mine = render(org, owner)
    assert "变更" in mine and "刘申报" in mine and "核验" in mine and "孙复核" in mine
    assert "专家备注" in mine and "专家组" in mine and "欧阳明远" not in mine
    assert "内部操作" not in mine
    full = render(org, reviewer())
    assert "欧阳明远" in full and "内部操作" in full
