"""A designated center for the tests of My center, the profile and annual reports.

The plan goes through the office meeting and publicity (tests/centers/factories.py) and is
designated on 2 November 2026 with the clock frozen, so every test enters its own dates."""

import datetime as dt
import zoneinfo

import time_machine

from accounts.models import City
from centers.services import designation
from tests.factories import OrganizationFactory, applicant, reviewer, valid_credit_code
from tests.factories import officer as make_officer

from .factories import PLAN, publicized_plan

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DESIGNATED_AT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=TZ)

PROFILE_PLAN = {
    **PLAN,
    "investment": {
        "lead_commitment_wan": 5000,
        "public_services": ["检验检测", "人员培训"],
        "cobuilder_commitments": [{"name": "山西共建大学", "amount_wan": 800}],
    },
    "targets": {
        "items": [
            {"key": "patents", "label": "专利", "unit": "件", "baseline": 10, "target": 40},
            {
                "key": "rd_spending_wan",
                "label": "研发投入",
                "unit": "万元",
                "baseline": 2000,
                "target": 6000,
            },
        ]
    },
}


def designated_center(name="碳基新材料", *, city_code="140100", officer=None):
    """(center, staff user of the lead organization)."""
    org = OrganizationFactory(
        registered_city=City.objects.get(division_code=city_code),
        credit_code=valid_credit_code(city_code),
        contact_name="王联系",
        contact_phone="0351-1234567",
    )
    with time_machine.travel(DESIGNATED_AT, tick=False):
        app, _notice = publicized_plan(
            actor=officer or make_officer(), name=name, org=org, plan=PROFILE_PLAN
        )
        center = designation.designate(actor=None, application_id=app.pk)
    return center, app._test_applicant


def city_reviewer(city_name="太原市"):
    return reviewer(city_name)


def other_applicant():
    return applicant()
