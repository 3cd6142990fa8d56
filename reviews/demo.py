"""Demo data of the expert review (idempotent): an expert pool with profiles for
expert1..expert6, the default score template (data migration), and a panel with
expert1 for a demo plan in expert review when there is one."""

import datetime as dt

from django.utils import timezone

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from accounts.roles import EXPERT, grant_role
from applications.models import Application
from centers.models import IndustryField
from reviews.services.common import ReviewError

from .models import ExpertProfile, Panel, PanelMember, ScoreSheet
from .services import members as members_services
from .services import opinion, panels, scoring

# username, name, kind, employer, title
EXPERTS = [
    ("expert1", "周专家", "technical", "太原理工大学", "教授"),
    ("expert2", "吴晶", "technical", "中北大学", "研究员"),
    ("expert3", "郑材", "technical", "中国科学院山西煤炭化学研究所", "研究员"),
    ("expert4", "冯管", "management", "山西省科学技术情报研究院", "研究员"),
    ("expert5", "陈理", "management", "山西财经大学", "教授"),
    ("expert6", "褚财", "financial", "山西示范会计师事务所", "高级会计师"),
]


def seed(ctx):
    fields = list(IndustryField.objects.all())
    users = ctx.setdefault("users", {})
    for username, name, kind, employer, title in EXPERTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                last_name=name[0],
                first_name=name[1:],
                email=f"{username}@example.com",
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        if not user.has_role(EXPERT):
            grant_role(user, EXPERT)
        users[username] = user
        profile, created = ExpertProfile.objects.get_or_create(
            user=user,
            defaults={
                "kind": kind,
                "employer_name": employer,
                "title": title,
                "phone": "0351-1234567",
            },
        )
        if created and kind == "technical":
            profile.industry_fields.set(fields)
    accounts = ctx.setdefault("accounts", [])
    listed = {u for u, _r in accounts}
    for username, *_rest in EXPERTS:
        if username not in listed:
            accounts.append((username, EXPERT))

    officer = users.get("officer")
    app = (
        Application.objects.filter(status=Application.Status.EXPERT_REVIEW, panel__isnull=True)
        .order_by("pk")
        .first()
    )
    if officer is None or app is None or Panel.objects.filter(application=app).exists():
        return
    try:
        panel = panels.panel_form(
            actor=officer,
            application_id=app.pk,
            size=5,
            n_technical=3,
            n_management=1,
            n_financial=1,
            score_deadline=timezone.localdate() + dt.timedelta(days=14),
            seed=2026,
        )
    except ReviewError as exc:
        ctx["stdout"].write(f"reviews demo: no panel drawn ({'；'.join(exc.messages)})")
        return
    first = panel.members.filter(expert__user__username="expert1").first()
    if first is not None:
        members_services.panel_set_chair(actor=officer, panel_id=panel.pk, member_id=first.pk)


def run_review(*, application_id: int, officer, applicant, seed: int = 2026) -> None:
    """Take a plan from expert review to awaiting the office meeting through the real services:
    panel drawn, every expert accepts, declares no conflict and scores, the chair signs the
    opinion, the officer concludes, the applicant answers every point and submits.
    Used by later demo steps (office meeting, publicity) that need plans past the expert review."""
    from decimal import Decimal

    app = Application.objects.get(pk=application_id)
    if app.status == Application.Status.EXPERT_REVIEW:
        panel = Panel.objects.filter(application=app).first() or panels.panel_form(
            actor=officer,
            application_id=app.pk,
            size=5,
            n_technical=3,
            n_management=1,
            n_financial=1,
            score_deadline=timezone.localdate() + dt.timedelta(days=14),
            seed=seed,
        )
        members = list(
            panel.members.filter(status__in=PanelMember.ACTIVE).select_related("expert__user")
        )
        for m in members:
            if m.status == PanelMember.Status.INVITED:
                members_services.member_respond(actor=m.expert.user, member_id=m.pk, accept=True)
            if m.no_conflict_declared_at is None:
                members_services.member_declare(actor=m.expert.user, member_id=m.pk, conflict=False)
        chair = next((m for m in members if m.is_chair), None) or members_services.panel_set_chair(
            actor=officer, panel_id=panel.pk, member_id=members[0].pk
        )
        criteria = list(panel.template.criteria.all())
        for m in members:
            if ScoreSheet.objects.filter(member=m, submitted_at__isnull=False).exists():
                continue
            scoring.score_save(
                actor=m.expert.user,
                member_id=m.pk,
                scores={
                    c.pk: (c.max_points * Decimal("0.85")).quantize(Decimal("0.1"))
                    for c in criteria
                },
                opinion="基础条件较好，建设目标明确，建议完善后推荐。",
                recommendation="improve",
                submit=True,
            )
        opinion.opinion_save(
            actor=chair.expert.user,
            member_id=chair.pk,
            summary="专家组审阅了建设方案及附件，经独立评分和集体讨论，认为该中心建设基础较好，同意通过论证。",
            points=["进一步量化三年建设目标中的技术服务收入。", "明确共建单位的出资方式和比例。"],
            sign=True,
        )
        opinion.panel_conclude(actor=officer, panel_id=panel.pk, outcome="pass")
        app.refresh_from_db()
    if app.status == Application.Status.IMPROVING:
        panel = Panel.objects.get(application=app)
        _revise_plan(app, applicant)
        opinion.improvement_save(
            actor=applicant,
            application_id=app.pk,
            answers={p.pk: "已按专家意见修改建设方案相应章节。" for p in panel.points.all()},
            submit=True,
        )


def _revise_plan(app, applicant) -> None:
    """Version 2 answers the opinion's points: the service-income target is quantified higher,
    and each co-builder's contribution states its form and share."""
    from applications.services import application_save_section

    app.refresh_from_db()
    plan = app.plan or {}
    targets = dict(plan.get("targets") or {})
    targets["items"] = [
        {**item, "target": 2600} if item.get("key") == "service_income_wan" else dict(item)
        for item in targets.get("items", [])
    ]
    cobuilders = dict(plan.get("cobuilders") or {})
    cobuilders["items"] = [
        {**item, "contribution": "联合攻关与人才培养；以现金和仪器设备出资，占中心建设投入的15%"}
        for item in cobuilders.get("items", [])
    ]
    for section, data in (("targets", targets), ("cobuilders", cobuilders)):
        if data != plan.get(section):
            application_save_section(
                actor=applicant, application_id=app.pk, section=section, data=data
            )
