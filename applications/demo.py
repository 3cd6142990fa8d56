"""Demo data of the applicant side. Idempotent.

- user ``applicant`` (太原示范半导体材料有限公司, verified): a complete, eligible draft
  「山西省半导体材料技术创新中心」 ready to submit;
- a pending organization registered by ``applicant_pending`` for the bureau to verify.

``make_complete_plan(org, user, name=..., kind=...)`` is reusable (review-side demo, tests).
"""

from accounts.models import City, Organization, User

from .models import Application
from .testing import make_complete_plan

__all__ = ["make_complete_plan", "seed"]

DEMO_PASSWORD = "Demo-pass-2026"  # nosec B105 # the published demo password (DEBUG-only seed)


def seed(ctx):
    users = ctx.get("users") or {}
    applicant = users.get("applicant") or User.objects.filter(username="applicant").first()
    if applicant is not None and applicant.organization_id:
        org = applicant.organization
        if not Application.objects.filter(organization=org, name="半导体材料").exists():
            make_complete_plan(org, applicant, name="半导体材料", kind="domain")
    _pending_organization()
    from .review_demo import seed_review_demo

    seed_review_demo(ctx)


def _pending_organization():
    """An organization waiting for verification by 太原市科学技术局."""
    import random

    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts import credit_code
    from accounts.services.registration import organization_register

    from .testing import MINIMAL_PDF

    if User.objects.filter(username="applicant_pending").exists():
        return
    code = credit_code.generate("140100", random.Random(99))  # nosec B311 # fixed demo data
    if Organization.objects.filter(credit_code=code).exists():
        return
    organization_register(
        actor=None,
        organization={
            "name": "太原示范新型研发机构有限公司",
            "credit_code": code,
            "org_type": "new_rd_institution",
            "registered_province": "山西省",
            "registered_city": City.objects.get(division_code="140100"),
            "address": "太原市万柏林区示范路8号",
            "is_legal_person": True,
            "contact_name": "陈联系",
            "contact_phone": "0351-1234567",
        },
        user={
            "username": "applicant_pending",
            "last_name": "陈",
            "first_name": "待核",
            "email": "applicant_pending@example.com",
            "password": DEMO_PASSWORD,
        },
        licence=SimpleUploadedFile("营业执照.pdf", MINIMAL_PDF, content_type="application/pdf"),
        licence_name="营业执照.pdf",
        licence_content_type="application/pdf",
        contact_email="contact@example.com",
    )
