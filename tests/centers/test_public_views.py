"""Public pages: notices, the objection form, the receipt lookup (no login)."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centers import rules
from centers.models import Objection
from centers.services import publicity

from .factories import (
    approved_plan,
    file_objection,
    objection_data,
    pdf_upload,
    png_upload,
    publicized_plan,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("calendar_known_ahead")]


def current_plan(officer, **kw):
    """A plan whose publicity runs today."""
    return publicized_plan(actor=officer, start=rules.local_now().date(), **kw)


def post_objection(client, notice, item, **overrides):
    data = objection_data(**overrides)
    data.update(
        item=item.pk,
        confirm="on",
        statement=pdf_upload(),
        evidence=[png_upload("证据1.png"), pdf_upload("证据2.pdf")],
    )
    return client.post(reverse("centers:objection_create", args=[notice.pk]), data)


def test_notice_page_shows_title_plans_period_and_how_to_object(client, officer):
    app, notice = publicized_plan(actor=officer, name="半导体")
    response = client.get(reverse("centers:public_notice", args=[notice.pk]))
    text = response.content.decode()
    assert "关于山西省半导体技术创新中心拟认定名单的公示" in text
    assert app.organization.name in text and "炭基新材料" in text
    assert "2026年9月30日至2026年10月12日" in text
    assert "匿名异议或逾期提出的异议不予受理" in text
    assert "联系电话" in text
    assert "<script>" not in text  # no inline JS
    assert "cdn" not in text.lower()


def test_index_lists_current_and_archive_lists_past(client, officer):
    _old, past = publicized_plan(actor=officer, name="半导体")
    _new, current = current_plan(officer, name="大数据")
    index = client.get(reverse("centers:public_index")).content.decode()
    archive = client.get(reverse("centers:public_archive")).content.decode()
    assert current.title in index and past.title not in index
    assert past.title in archive and current.title not in archive


def test_public_lists_query_count_does_not_grow(client, officer, django_assert_max_num_queries):
    current_plan(officer, name="半导体")
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("centers:public_index"))
    for name in ("大数据", "轨道交通", "通用航空"):
        current_plan(officer, name=name)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("centers:public_index"))
    assert len(many) == len(one)


def test_objection_filed_online_gives_a_receipt(client, officer):
    app, notice = current_plan(officer)
    item = notice.items.get()
    response = post_objection(client, notice, item)
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.name == "刘实名" and objection.evidence.count() == 2
    assert objection.client_ip == "127.0.0.1"
    receipt = client.get(response["Location"]).content.decode()
    assert objection.receipt_number in receipt
    assert "刘实名" not in receipt


def test_invalid_objection_keeps_input_and_says_why(client, officer):
    _app, notice = current_plan(officer)
    item = notice.items.get()
    response = post_objection(client, notice, item, phone="12345", organization="")
    text = response.content.decode()
    assert response.status_code == 400
    assert "请填写有效的联系电话" in text
    assert "以个人名义提出异议的，请填写工作单位" in text
    assert "刘实名" in text  # kept
    assert not Objection.objects.exists()


def test_objection_file_content_is_checked(client, officer):
    _app, notice = current_plan(officer)
    item = notice.items.get()
    data = objection_data()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "statement.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    data.update(item=item.pk, confirm="on", statement=fake, evidence=[png_upload()])
    response = client.post(reverse("centers:objection_create", args=[notice.pk]), data)
    assert "内容不是 PDF 或图片" in response.content.decode()
    assert not Objection.objects.exists()


def test_organization_objector_needs_a_contact_person(client, officer):
    _app, notice = current_plan(officer)
    response = post_objection(
        client,
        notice,
        notice.items.get(),
        objector_kind="organization",
        name="某科技公司",
        contact_person="",
    )
    assert "以单位名义提出异议的，请填写联系人" in response.content.decode()


def test_objection_form_is_rate_limited_per_client(client, officer, settings):
    settings.CENTERS_OBJECTION_RATE = (2, 3600)
    _app, notice = current_plan(officer)
    item = notice.items.get()
    assert post_objection(client, notice, item).status_code == 302
    assert post_objection(client, notice, item).status_code == 302
    third = post_objection(client, notice, item)
    assert third.status_code == 429
    assert "提交过于频繁" in third.content.decode()
    assert Objection.objects.count() == 2
    # another client is not affected
    other = post_objection(client.__class__(REMOTE_ADDR="10.9.9.9"), notice, item)
    assert other.status_code == 302


def test_form_refuses_after_the_period(client, officer):
    _app, notice = publicized_plan(actor=officer)
    response = client.get(reverse("centers:objection_create", args=[notice.pk]))
    assert "公示期已于2026年10月12日24时结束，不再受理异议" in response.content.decode()
    response = post_objection(client, notice, notice.items.get())
    assert not Objection.objects.exists()


def test_status_lookup_shows_status_but_never_identity(client, officer):
    app, _notice = publicized_plan(actor=officer)
    objection = file_objection(app, now=dt.datetime(2026, 10, 9, 10, tzinfo=dt.UTC))
    url = reverse("centers:objection_status")
    ok = client.post(url, {"receipt_number": objection.receipt_number, "phone_last4": "1234"})
    text = ok.content.decode()
    assert "已受理，待处理" in text or "received" in text
    for secret in ("刘实名", "13800001234", "太原某大学", "迎泽区", objection.reasons[:10]):
        assert secret not in text
    wrong = client.post(url, {"receipt_number": objection.receipt_number, "phone_last4": "9999"})
    assert "没有找到" in wrong.content.decode() or "No objection" in wrong.content.decode()
    assert app.full_name in text


def test_publicity_notice_pdf_has_the_title_and_period(client, officer):
    from pypdf import PdfReader

    _app, notice = publicized_plan(actor=officer, name="半导体")
    response = client.get(reverse("centers:public_notice_pdf", args=[notice.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.getvalue())).pages)
    text = text.replace("\n", "").replace(" ", "")
    assert "山西省半导体技术创新中心" in text
    assert "2026年9月30日至2026年10月12日" in text


def test_unpublished_notice_is_404(client, officer):
    app = approved_plan(actor=officer)
    future = rules.local_now().date() + dt.timedelta(days=3)
    notice = publicity.publicity_publish(actor=officer, application_ids=[app.pk], start=future)
    assert client.get(reverse("centers:public_notice", args=[notice.pk])).status_code == 404
