"""The public registry: list, filters, center page, CSV and JSON, query counts."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import City
from centers import services
from centers.models import Center, CenterName
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
    return services.designate(actor=None, application_id=app.pk)


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
    body = response.content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:2] == ["中心编号", "中心名称"]
    assert rows[1][0] == center.number and rows[1][1] == center.name


def test_json_download(client):
    center = designated("半导体")
    data = json.loads(client.get(reverse("centers:registry_json")).content)
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
            center = services.designate(actor=None, application_id=app.pk)
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
    services.designate(actor=None, application_id=app.pk)
    assert notices_for(center).count() == 1
