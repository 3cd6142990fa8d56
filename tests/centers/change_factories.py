"""Arrange helpers for the change-request tests: a designated center without the whole flow."""

import datetime as dt

from centers.models import Center, CenterName
from centers.services import changes
from tests.factories import applicant, reviewer

from .factories import pdf_upload, plan_awaiting_meeting

_counter = {"n": 0}


def make_center(*, name="碳基新材料", org=None, designated_on=dt.date(2026, 3, 5)):
    """A designated center (its plan row exists; the designation steps are tested elsewhere)."""
    _counter["n"] += 1
    app = plan_awaiting_meeting(name=name, org=org)
    org = app.organization
    center = Center.objects.create(
        application=app,
        number=f"SXTIC-2026-{900 + _counter['n']:03d}",
        name=app.full_name,
        kind=app.kind,
        industry_field=app.industry_field,
        lead_organization=org,
        department=app.department,
        city=org.registered_city,
        designated_on=designated_on,
        main_direction="碳基复合材料制备",
        cobuilders=[{"name": "山西共建大学", "mode": "agreement"}],
        profile={"lead": {"rd_institutions": [{"name": "碳材料研究所", "city": "太原市"}]}},
    )
    CenterName.objects.create(center=center, name=center.name, valid_from=designated_on)
    from centers.services.profile import initialise_profile

    initialise_profile(center)  # co-builder rows from the plan, object permissions
    center._test_staff = app._test_applicant
    return center


def rename_data(new_name="山西省碳基先进材料技术创新中心", **extra):
    return {
        "reasons": "中心研究领域拓展至先进碳材料全产业链，原名称已不能准确反映。",
        "new_name": new_name,
        **extra,
    }


def filed(center, *, kind="rename", data=None, staff=None, submit=True, attachments=None):
    staff = staff or center._test_staff
    request = changes.change_request_create(
        actor=staff,
        center_id=center.pk,
        kind=kind,
        data=data or rename_data(),
        attachments=[pdf_upload("更名请示.pdf")] if attachments is None else attachments,
    )
    if submit:
        request = changes.change_request_submit(actor=staff, request_id=request.pk)
    return request


def dept_user(center, **kw):
    return reviewer(center.department.city.name, **kw)


def staff_of(center, **kw):
    return applicant(center.lead_organization, **kw)
