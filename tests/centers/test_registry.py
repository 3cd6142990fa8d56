"""The public registry: list, filters, center page, CSV and JSON, query counts."""

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import City
from centers.models import Center, CenterName
from centers.services import designation, publicity
from tests.factories import OrganizationFactory, valid_credit_code
from tests.factories import officer as make_officer

from .factories import publicized_plan

pytestmark = pytest.mark.django_db


def designated(name, *, field_code="F02", city_code="140100", actor=None):
    org = OrganizationFactory(
        registered_city=City.objects.get(division_code=city_code),
        credit_code=valid_credit_code(city_code),
    )
    app, _ = publicized_plan(
        actor=actor or make_officer(), name=name, org=org, field_code=field_code
    )
    return designation.designate(actor=None, application_id=app.pk)


def test_list_filters_and_search(client):
    actor = make_officer()
    semi = designated("半导体", field_code="F01", actor=actor)
    data = designated("大数据", field_code="F04", city_code="140200", actor=actor)
    Center.objects.filter(pk=data.pk).update(status="rectifying")
    url = reverse("centers:registry")
    page = client.get(url).content.decode()
    assert semi.name in page and data.name in page
    assert semi.name not in client.get(url, {"field": "F04"}).content.decode()
    assert semi.name not in client.get(url, {"city": "140200"}).content.decode()
    assert semi.name not in client.get(url, {"status": "rectifying"}).content.decode()
    assert data.name not in client.get(url, {"q": "半导体"}).content.decode()
    assert data.name not in client.get(url, {"kind": "comprehensive"}).content.decode()


def test_former_names_are_searchable_and_shown(client):
    center = designated("半导体")
    CenterName.objects.filter(center=center).update(valid_to=center.designated_on)
    CenterName.objects.create(
        center=center, name="山西省集成电路技术创新中心", valid_from=center.designated_on
    )
    Center.objects.filter(pk=center.pk).update(name="山西省集成电路技术创新中心")
    page = client.get(reverse("centers:registry"), {"q": "半导体技术"}).content.decode()
    assert "山西省集成电路技术创新中心" in page and "山西省半导体技术创新中心" in page
    detail = client.get(reverse("centers:registry_detail", args=[center.number])).content.decode()
    assert "山西省半导体技术创新中心" in detail


def test_center_page_shows_facts(client):
    center = designated("半导体")
    text = client.get(reverse("centers:registry_detail", args=[center.number])).content.decode()
    for fact in (center.name, center.number, center.lead_organization.name, "炭基新材料", "太原市"):
        assert fact in text
    d = center.designated_on
    assert f"{d.year}年{d.month}月{d.day}日" in text
    assert (
        client.get(reverse("centers:registry_detail", args=["SXTIC-1999-999"])).status_code == 404
    )


def test_csv_has_bom_and_chinese(client):
    center = designated("半导体")
    response = client.get(reverse("centers:registry_csv"))
    body = response.getvalue()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["中心编号", "中心名称"]
    assert rows[1][0] == center.number and rows[1][1] == center.name


def test_json_download(client):
    center = designated("半导体")
    data = json.loads(client.get(reverse("centers:registry_json")).getvalue())
    assert data["count"] == 1
    assert data["centers"][0]["name"] == center.name
    assert data["centers"][0]["lead_organization"] == center.lead_organization.name


@pytest.mark.parametrize(
    "name", ["centers:registry", "centers:registry_csv", "centers:registry_json"]
)
def test_registry_query_count_is_flat(client, name):
    actor = make_officer()
    designated("半导体", actor=actor)
    url = reverse(name)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        designated(f"领域{n}", actor=actor)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert Center.objects.count() == 5
    assert len(many) == len(one)


def test_center_page_shows_the_designation_notice(client, django_capture_on_commit_callbacks):
    """Designation queues the documents task on commit; the notice number shows on the
    center page for everyone, the download link only for those who may download it."""
    from config.celery import app as celery_app

    actor = make_officer(username="officer_notice")
    org = OrganizationFactory()
    app, _ = publicized_plan(actor=actor, name="半导体", org=org)
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            center = designation.designate(actor=None, application_id=app.pk)
    finally:
        celery_app.conf.task_always_eager = old
    from documents.selectors import notices_for

    [doc] = notices_for(center)
    url = reverse("centers:registry_detail", args=[center.number])
    public = client.get(url).content.decode()
    assert doc.number in public
    download = reverse("documents:download", kwargs={"pk": doc.pk})
    assert download not in public
    client.force_login(actor)
    officer_page = client.get(url).content.decode()
    assert download in officer_page
    response = client.get(download)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF")
    # running the designation again issues nothing new
    designation.designate(actor=None, application_id=app.pk)
    assert notices_for(center).count() == 1


# --- registry integrity: only verified data are public (issue 8, item 6) -------------


def _public_texts(client, center):
    """The lead organization as the registry list, center page, CSV and JSON show it."""
    listing = client.get(reverse("centers:registry")).content.decode()
    page = client.get(reverse("centers:registry_detail", args=[center.number])).content.decode()
    body = client.get(reverse("centers:registry_csv")).getvalue().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    data = json.loads(client.get(reverse("centers:registry_json")).getvalue())
    return listing, page, rows[0]["牵头单位"], data["centers"][0]["lead_organization"]


def test_a_rename_becomes_public_only_when_the_bureau_verifies_it(client):
    from accounts.services.changes import organization_update
    from accounts.services.registration import organization_verify
    from tests.factories import applicant, reviewer

    center = designated("半导体")
    org = center.lead_organization
    old_name = org.name
    new_name = "太原更名后半导体集团有限公司"
    member = applicant(org)
    result = organization_update(actor=member, organization_id=org.pk, data={"name": new_name})
    assert result.reverify
    org.refresh_from_db()
    assert (org.status, org.name, org.verified_name) == ("pending", new_name, old_name)

    listing, page, csv_cell, json_value = _public_texts(client, center)
    assert old_name in listing and new_name not in listing
    assert old_name in page and new_name not in page
    assert csv_cell == old_name and json_value == old_name
    # the pending name does not find the center either
    search = client.get(reverse("centers:registry"), {"q": "更名后"}).content.decode()
    assert center.name not in search

    organization_verify(actor=reviewer("太原市"), organization_id=org.pk, approve=True)

    listing, page, csv_cell, json_value = _public_texts(client, center)
    assert new_name in listing and old_name not in listing
    assert new_name in page and old_name not in page
    assert csv_cell == new_name and json_value == new_name
    search = client.get(reverse("centers:registry"), {"q": "更名后"}).content.decode()
    assert center.name in search


def test_a_refused_rename_never_becomes_public(client):
    from accounts.services.changes import organization_update
    from accounts.services.registration import organization_verify
    from tests.factories import applicant, reviewer

    center = designated("半导体")
    org = center.lead_organization
    old_name = org.name
    organization_update(
        actor=applicant(org), organization_id=org.pk, data={"name": "未经核验的名称有限公司"}
    )
    organization_verify(
        actor=reviewer("太原市"), organization_id=org.pk, approve=False, reason="执照不符"
    )
    _listing, page, csv_cell, json_value = _public_texts(client, center)
    assert old_name in page and "未经核验的名称" not in page
    assert csv_cell == json_value == old_name


HOSTILE = {
    '=HYPERLINK("http://evil.example","点我")': '\'=HYPERLINK("http://evil.example","点我")',
    "+1+cmd|' /C calc'!A0": "'+1+cmd|' /C calc'!A0",
    "-2+3": "'-2+3",
    "@SUM(1+1)": "'@SUM(1+1)",
    "\t=1+1": "'\t=1+1",
    "\r=1+1": "'\r=1+1",
}


@pytest.mark.parametrize("hostile", list(HOSTILE))
def test_registry_csv_neutralises_formula_cells(client, hostile):
    center = designated("半导体")
    org = center.lead_organization
    org.name = hostile
    org.save()  # verified: the admin's change is the verified name
    Center.objects.filter(pk=center.pk).update(name=hostile)
    CenterName.objects.filter(center=center).update(name=hostile, valid_to=center.designated_on)
    body = client.get(reverse("centers:registry_csv")).getvalue().decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(body, newline="")))
    assert row["中心名称"] == HOSTILE[hostile]
    assert row["牵头单位"] == HOSTILE[hostile]
    assert row["曾用名"] == HOSTILE[hostile]
    assert row["中心编号"] == center.number  # harmless cells stay as they are
    # JSON is data, not a spreadsheet: the name is unchanged there
    data = json.loads(client.get(reverse("centers:registry_json")).getvalue())
    assert data["centers"][0]["lead_organization"] == hostile


def test_safe_cell_rules():
    from documents.csv_export import safe_cell

    for raw, written in HOSTILE.items():
        assert safe_cell(raw) == written
    assert safe_cell("山西省=中心") == "山西省=中心"  # only the first character counts
    assert safe_cell("") == "" and safe_cell(None) == ""
    assert safe_cell(-5) == -5 and safe_cell(2.5) == 2.5  # numbers cannot carry a formula
    assert safe_cell("-5") == "'-5"


def test_expert_import_template_goes_through_the_shared_writer(client, monkeypatch):
    from reviews import imports

    monkeypatch.setattr(imports, "TEMPLATE_HEADERS", ["=cmd()", *imports.TEMPLATE_HEADERS[1:]])
    client.force_login(make_officer(username="officer_template"))
    body = client.get(reverse("reviews:expert_import_template")).content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    assert header[0] == "'=cmd()"


@time_machine.travel(dt.datetime(2026, 10, 9, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
def test_publicity_notice_names_the_verified_lead_organization(client):
    from accounts.services.changes import organization_update

    from .factories import approved_plan

    actor = make_officer(username="officer_publicity")
    app = approved_plan(actor=actor, name="半导体")
    org = app.organization
    old_name = org.name
    organization_update(
        actor=app._test_applicant, organization_id=org.pk, data={"name": "公示期前更名有限公司"}
    )
    notice = publicity.publicity_publish(
        actor=actor, application_ids=[app.pk], start=dt.date(2026, 9, 30)
    )
    [item] = notice.items.all()
    assert item.lead_organization_name == old_name
    page = client.get(reverse("centers:public_notice", args=[notice.pk])).content.decode()
    assert old_name in page and "公示期前更名" not in page


def test_every_csv_writer_is_the_shared_safe_one():
    """No module writes CSV around documents.csv_export (which neutralises formula cells)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/**/*.py"):
        rel = path.relative_to(root).as_posix()
        if rel.startswith((".venv/", "tests/")) or rel == "documents/csv_export.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "csv.writer(" in text or "csv.DictWriter(" in text:
            offenders.append(rel)
    assert offenders == []


def test_designation_notice_names_the_verified_lead_organization(client):
    from accounts.services.changes import organization_update
    from documents.services import designation_notice_context
    from tests.factories import applicant

    center = designated("半导体")
    org = center.lead_organization
    old_name = org.name
    organization_update(
        actor=applicant(org), organization_id=org.pk, data={"name": "认定后待核验名称有限公司"}
    )
    center.refresh_from_db()
    context = designation_notice_context(center)
    assert context["lead_organization"] == old_name
    assert old_name in context["addressees"]
    assert "认定后待核验名称有限公司" not in context["addressees"]
    # the organization's own page tells its staff which name is public meanwhile
    client.force_login(org.members.first())
    page = client.get(reverse("organization_detail", args=[org.pk])).content.decode()
    assert "认定后待核验名称有限公司" in page
    assert "新名称核验通过前，公开页面仍显示此名称" in page and old_name in page
