"""Demo data of the review side, so that reviewer_ty, officer and applicant have something to do.

``seed_review_demo(ctx)`` is called from ``applications.demo.seed`` after the applicant
side's data. Plans are built with ``applications.testing.make_complete_plan`` and moved
only through ``applications.services.application_transition``. Idempotent: a plan that
already exists (by organization and name) is left as it is.
"""

from accounts.models import User

from .models import Application
from .services import application_transition

# name, the steps after creation: (username of the actor, transition, reason)
DEMO_PLANS = [
    ("氢能装备", [("applicant", "submit", "")]),
    (
        "智能制造",
        [
            ("applicant", "submit", ""),
            ("reviewer_ty", "approve", "材料齐全，牵头单位研发基础扎实，同意推荐至省科技厅复核。"),
        ],
    ),
    (
        "新型储能",
        [
            ("applicant", "submit", ""),
            ("reviewer_ty", "approve", "同意推荐。"),
            ("officer", "pass_recheck", "材料复核无误，组织专家论证。"),
        ],
    ),
    (
        "光电信息",
        [
            ("applicant", "submit", ""),
            (
                "reviewer_ty",
                "return_plan",
                "1. 共建单位的出资方式未写明；2. 三年目标中技术服务收入的基数与附件不一致，请核对后重新提交。",
            ),
        ],
    ),
]


def _user(ctx, username):
    return (ctx.get("users") or {}).get(username) or User.objects.filter(username=username).first()


def seed_review_demo(ctx) -> list[Application]:
    from .testing import DEMO_PLAN_FIELDS, make_complete_plan

    applicant = _user(ctx, "applicant")
    if applicant is None or applicant.organization_id is None:
        return []
    org = applicant.organization
    made = []
    for name, steps in DEMO_PLANS:
        if Application.objects.filter(organization=org, name=name).exists():
            continue
        app = make_complete_plan(
            org, applicant, name=name, kind="domain", industry_field=DEMO_PLAN_FIELDS.get(name)
        )
        for username, transition, reason in steps:
            app = application_transition(
                actor=_user(ctx, username),
                application_id=app.pk,
                transition=transition,
                reason=reason,
            )
        made.append(app)
    return made
