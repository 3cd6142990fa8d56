"""Builders for expert-review tests: experts, a plan in expert review (through the real
services), and a panel driven to any step through the reviews services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.roles import EXPERT
from applications.services import application_transition
from applications.testing import make_complete_plan
from centers.models import IndustryField
from reviews.models import Criterion, ExpertProfile, PanelMember
from reviews.services import members as members_services
from reviews.services import opinion, panels, scoring
from tests.factories import (
    OrganizationFactory,
    UserFactory,
    applicant,
    officer,
    reviewer,
    valid_credit_code,
)


def expert(
    kind: str = "technical",
    *,
    username: str | None = None,
    employer_name: str = "山西某某大学",
    employer_credit_code: str | None = None,
    fields=None,
    is_active: bool = True,
    avoid=None,
    **kw,
) -> ExpertProfile:
    user = UserFactory(roles=[EXPERT], **({"username": username} if username else {}))
    profile = ExpertProfile.objects.create(
        user=user,
        kind=kind,
        employer_name=employer_name,
        employer_credit_code=valid_credit_code()
        if employer_credit_code is None
        else employer_credit_code,
        title=kw.pop("title", "教授"),
        is_active=is_active,
        avoid_organizations=avoid or [],
        **kw,
    )
    if fields is None and kind == "technical":
        fields = [IndustryField.objects.order_by("order", "code").first()]
    profile.industry_fields.set(fields or [])
    return profile


def pool(technical=4, management=2, financial=2) -> list[ExpertProfile]:
    experts = []
    for kind, n in (("technical", technical), ("management", management), ("financial", financial)):
        experts += [expert(kind, employer_name=f"{kind}单位{i}") for i in range(n)]
    return experts


def plan_in_expert_review(*, org=None, name="半导体材料", user=None):
    """A complete plan taken through submit, department approval and provincial re-check."""
    org = org or OrganizationFactory(name="太原测试半导体有限公司")
    user = user or applicant(org)
    app = make_complete_plan(org, user, name=name)
    application_transition(actor=user, application_id=app.pk, transition="submit")
    application_transition(
        actor=reviewer(), application_id=app.pk, transition="approve", reason="材料齐全，同意推荐。"
    )
    application_transition(
        actor=officer(), application_id=app.pk, transition="pass_recheck", reason="复核通过。"
    )
    app.refresh_from_db()
    return app


def form_panel(app, actor, *, size=5, counts=(3, 1, 1), seed=42, deadline_days=10):
    return panels.panel_form(
        actor=actor,
        application_id=app.pk,
        size=size,
        n_technical=counts[0],
        n_management=counts[1],
        n_financial=counts[2],
        score_deadline=timezone.localdate() + dt.timedelta(days=deadline_days),
        seed=seed,
    )


def accept_all(panel) -> list[PanelMember]:
    members = list(
        panel.members.filter(status=PanelMember.Status.INVITED).select_related("expert__user")
    )
    for m in members:
        members_services.member_respond(actor=m.expert.user, member_id=m.pk, accept=True)
        members_services.member_declare(actor=m.expert.user, member_id=m.pk, conflict=False)
    return list(
        panel.members.filter(status=PanelMember.Status.ACCEPTED).select_related("expert__user")
    )


def score_all(panel, totals_by_member=None, recommendation="improve") -> None:
    """Submit every accepted member's sheet; the points of each criterion are scaled from its maximum."""
    criteria = list(Criterion.objects.filter(template=panel.template))
    for i, m in enumerate(
        panel.members.filter(status=PanelMember.Status.ACCEPTED).select_related("expert__user")
    ):
        ratio = Decimal("0.8") - Decimal(i) / 20
        scores = {c.pk: (c.max_points * ratio).quantize(Decimal("0.1")) for c in criteria}
        scoring.score_save(
            actor=m.expert.user,
            member_id=m.pk,
            scores=scores,
            opinion=f"专家{i + 1}：方案基础较好。",
            recommendation=recommendation,
            submit=True,
        )


def sign_opinion(
    panel,
    chair_member,
    *,
    summary="该建设方案基础扎实，目标明确，建议修改完善后通过。",
    points=None,
):
    return opinion.opinion_save(
        actor=chair_member.expert.user,
        member_id=chair_member.pk,
        summary=summary,
        points=points or ["进一步明确三年研发投入的来源。", "补充共建单位的具体分工。"],
        sign=True,
    )
