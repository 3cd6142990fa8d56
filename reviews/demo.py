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

from . import services
from .models import ExpertProfile, Panel

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
        panel = services.panel_form(
            actor=officer,
            application_id=app.pk,
            size=5,
            n_technical=3,
            n_management=1,
            n_financial=1,
            score_deadline=timezone.localdate() + dt.timedelta(days=14),
            seed=2026,
        )
    except services.ReviewError as exc:
        ctx["stdout"].write(f"reviews demo: no panel drawn ({'；'.join(exc.messages)})")
        return
    first = panel.members.filter(expert__user__username="expert1").first()
    if first is not None:
        services.panel_set_chair(actor=officer, panel_id=panel.pk, member_id=first.pk)
