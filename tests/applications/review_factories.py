"""Arrange helpers for the review-side tests: plans already submitted to a department.

The submit itself (eligibility, attachments) is the applicant side's and is tested there;
here a draft is moved to ``dept_review`` and the submit's side effects (version, number,
routing permissions, notifications) are run through the real hook. Every later step goes
through ``applications.services.application_transition``.
"""

from django.db import transaction

from applications import hooks, permissions
from applications.models import Application, Status
from applications.services import application_transition
from centers.models import IndustryField
from tests.factories import OrganizationFactory, applicant, bureau, reviewer


def sample_plan(**overrides) -> dict:
    plan = {
        "lead": {"profile": "牵头单位长期从事半导体材料研发。"},
        "cobuilders": {
            "items": [
                {
                    "name": "山西共建大学",
                    "credit_code": "",
                    "org_type": "university",
                    "mode": "agreement",
                    "contribution": "联合攻关",
                }
            ]
        },
        "director": {
            "name": "李正高",
            "title": "研究员",
            "title_level": "senior_full",
            "position": "总工程师",
            "field": "半导体材料",
            "resume": "从事材料研究二十年。",
        },
        "team": {"size": 80, "composition": "博士20人", "key_members": []},
        "achievements": {"items": [], "market_prospects": "市场广阔。"},
        "facilities": {
            "area_m2": 2400,
            "equipment_value_wan": 3500,
            "major_instruments": "分子束外延设备",
            "venues": "太原市小店区",
        },
        "governance": {"legal_entity_type": "enterprise", "council": "理事会"},
        "investment": {"lead_commitment_wan": 5000, "public_services": ["检验检测"]},
        "targets": {
            "items": [
                {"key": "patents", "label": "专利", "unit": "件", "baseline": 10, "target": 40}
            ]
        },
        "declaration": {"compliant": True, "signed_by": "王申报", "signed_on": "2026-03-01"},
    }
    plan.update(overrides)
    return plan


def draft_plan(*, org=None, department=None, name="碳基新材料", kind="domain", user=None):
    org = org or OrganizationFactory()
    user = user or applicant(org)
    department = department or bureau(org.registered_city.name if org.registered_city else "太原市")
    app = Application.objects.create(
        organization=org,
        department=department,
        created_by=user,
        name=name,
        kind=kind,
        industry_field=IndustryField.objects.current().order_by("code").first(),
        plan=sample_plan(),
    )
    permissions.grant_on_create(app)
    app._test_applicant = user
    return app


def submitted_plan(*, org=None, department=None, name="碳基新材料", kind="domain", user=None):
    """A plan in ``dept_review`` with version 1 frozen and routed to its department."""
    app = draft_plan(org=org, department=department, name=name, kind=kind, user=user)
    user = app._test_applicant
    with transaction.atomic():
        Application.objects.filter(pk=app.pk).update(status=Status.DEPT_REVIEW)
        app = Application.objects.get(pk=app.pk)
        hooks.after_transition(app, transition="submit", actor=user, reason="")
    app._test_applicant = user
    return app


def plan_in_recheck(*, dept_reviewer=None, **kw):
    """A plan the department approved: now in ``province_recheck``."""
    app = submitted_plan(**kw)
    who = dept_reviewer or reviewer(app.department.city.name if app.department.city else "太原市")
    return application_transition(
        actor=who, application_id=app.pk, transition="approve", reason="材料齐全，同意推荐。"
    )
