"""Arrange helpers for the documents tests: real Center rows created through the ORM.

The centers app creates centers through its designation service; these tests only
need a designated center to write a notice about, so they create the rows directly.
"""

import datetime as dt
import itertools

import pytest

from accounts.models import City
from applications.models import Application
from centers.models import Center, IndustryField
from tests.factories import OrganizationFactory, applicant, bureau

_numbers = itertools.count(1)


def make_center(*, name="碳基新材料", org=None, city_name="太原市", field_code="F02", **kw):
    org = org or OrganizationFactory(
        name=f"山西示范新材料有限公司{next(_numbers)}",
        registered_city=City.objects.get(name=city_name),
    )
    user = applicant(org)
    department = bureau(city_name)
    field = IndustryField.objects.get(code=field_code)
    app = Application.objects.create(
        organization=org,
        department=department,
        created_by=user,
        name=name,
        kind="domain",
        industry_field=field,
        plan={},
    )
    Application.objects.filter(pk=app.pk).update(status="designated")
    defaults = {
        "number": f"SXTIC-2026-{next(_numbers):03d}",
        "name": f"山西省{name}技术创新中心",
        "kind": "domain",
        "industry_field": field,
        "lead_organization": org,
        "department": department,
        "city": department.city,
        "cobuilders": [{"name": "太原理工大学", "mode": "agreement"}],
        "director": {"name": "李正高", "title": "研究员"},
        "designated_on": dt.date(2026, 10, 13),
    }
    defaults.update(kw)
    return Center.objects.create(application=app, **defaults)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def center(db):
    return make_center()
