"""Verifiable issued documents: code and QR code on the PDF, the public page, upload checks."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from documents import services, verification
from documents.models import ImmutableDocumentError
from tests.documents import pdfcheck
from tests.texts import zh

NOW = dt.datetime(2026, 10, 13, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def notice(center):
    return services.issue_designation_notice(center_id=center.pk, now=NOW)


def stored(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def upload(client, url, content: bytes, name="通知.pdf"):
    return client.post(url, {"file": SimpleUploadedFile(name, content, "application/pdf")})


def test_code_normalizes_what_people_type():
    code = verification.new_code()
    assert len(code) == 16 and set(code) <= set(verification.ALPHABET)
    shown = verification.display(code)
    assert shown.count("-") == 3
    assert verification.normalize(shown.lower()) == code
    assert verification.normalize(" " + shown.replace("-", " ") + " ") == code
    assert verification.normalize("ABCD-EFGH-IJKL-MNOP") == "ABCDEFGH1JK1MN0P"
    for bad in ("", "ABC", "ABCD-EFGH-JKMN-PQRSX", "ABCD-EFGH-JKMN-PQR!", "文本文本"):
        assert verification.normalize(bad) is None


def test_notice_prints_its_code_and_a_qr_code_of_the_verify_page(notice, settings):
    assert len(notice.verification_code) == 16
    pdf = stored(notice)
    text = pdfcheck.text(pdf)
    code = verification.display(notice.verification_code)
    assert f"验证码：{code}" in text
    url = settings.SITE_URL.rstrip("/") + f"/verify/{code}/"
    assert url in text
    # The QR code is a drawing on the last page (SVG → vector paths), not text.
    last = PdfReader(__import__("io").BytesIO(pdf)).pages[-1]
    assert len(last.get_contents().get_data()) > 5000
    # The code cannot change afterwards (it is printed in the stored file).
    notice.verification_code = verification.new_code()
    with pytest.raises(ImmutableDocumentError):
        notice.save()


def test_qr_code_encodes_the_verify_url():
    import base64

    uri = verification.qr_data_uri("https://example.org/verify/ABCD-EFGH-JKMN-PQRS/")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert uri.startswith("data:image/svg+xml;base64,") and svg.startswith("<svg")


def test_every_issued_document_gets_a_distinct_code(center, notice):
    corrected = services.reissue_designation_notice(
        actor=__import__("tests.factories", fromlist=["officer"]).officer(),
        document_id=notice.pk,
        reason="更正共建单位名称",
    )
    assert corrected.verification_code and corrected.verification_code != notice.verification_code
    assert verification.display(corrected.verification_code) in pdfcheck.text(stored(corrected))


def test_public_page_shows_only_the_public_record(notice):
    client = Client()
    response = client.get(verification.verify_path(notice.verification_code))
    assert response.status_code == 200
    page = response.content.decode()
    for expected in (
        notice.number,
        notice.title,
        "2026年10月13日",
        "山西省科学技术厅",
        notice.sha256,
        verification.display(notice.verification_code),
    ):
        assert expected in page
    # Nothing private: no link to the stored file, no document id, no issuing user.
    assert reverse("documents:download", kwargs={"pk": notice.pk}) not in page
    assert "/documents/" not in page


def test_lowercase_or_undashed_code_redirects_to_the_canonical_page(notice):
    client = Client()
    code = notice.verification_code
    response = client.get(f"/verify/{code.lower()}/")
    assert response.status_code == 302
    assert response["Location"] == verification.verify_path(code)
    assert client.get("/verify/ABCD-EFGH-JKMN-PQRS/").status_code == 404
    assert client.get("/verify/not-a-code/").status_code == 404


def test_downloaded_notice_verifies_and_one_changed_byte_does_not(notice, center):
    """The issue's check: the file downloaded by its addressee verifies; altered, it does not."""
    owner = Client()
    owner.force_login(center.lead_organization.members.first())
    downloaded = b"".join(
        owner.get(reverse("documents:download", kwargs={"pk": notice.pk})).streaming_content
    )
    assert downloaded == stored(notice)

    public = Client()
    url = verification.verify_path(notice.verification_code)
    genuine = upload(public, url, downloaded)
    assert genuine.status_code == 200
    assert zh("Verified") in genuine.content.decode()
    assert 'data-testid="verify-genuine"' in genuine.content.decode()

    altered = bytearray(downloaded)
    altered[len(altered) // 2] ^= 0x01
    refused = upload(public, url, bytes(altered))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert zh("Not verified") in page and notice.number in page
    assert 'data-testid="verify-genuine"' not in page

    # The same two checks on the index page, without the code.
    index = reverse("verify:index")
    assert 'data-testid="verify-genuine"' in upload(public, index, downloaded).content.decode()
    assert notice.title in upload(public, index, downloaded).content.decode()
    assert 'data-testid="verify-refused"' in upload(public, index, bytes(altered)).content.decode()


def test_typed_code_finds_the_document(notice):
    client = Client()
    shown = verification.display(notice.verification_code)
    response = client.get(reverse("verify:index"), {"code": shown.lower().replace("-", " ")})
    assert response.status_code == 302 and response["Location"].endswith(f"/verify/{shown}/")
    missing = client.get(reverse("verify:index"), {"code": "ABCD-EFGH-JKMN-PQRS"})
    assert missing.status_code == 404 and "没有查到" in missing.content.decode()
    bad = client.get(reverse("verify:index"), {"code": "12'<b>"})
    assert bad.status_code == 400 and "验证码格式不正确" in bad.content.decode()
    assert "12&#x27;&lt;b&gt;" in bad.content.decode()  # what was typed stays, escaped


def test_upload_refusals_are_chinese_and_capped(notice, settings):
    settings.DOCUMENTS_VERIFY_MAX_BYTES = 1024
    client = Client()
    url = verification.verify_path(notice.verification_code)
    big = upload(client, url, b"%PDF-1.7\n" + b"0" * 2048)
    assert big.status_code == 400 and "文件过大" in big.content.decode()
    not_pdf = upload(client, url, b"GIF89a not a pdf", name="a.pdf")
    assert not_pdf.status_code == 400 and "不是PDF文件" in not_pdf.content.decode()
    empty = client.post(url, {})
    assert empty.status_code == 400 and "请选择要核验的PDF文件" in empty.content.decode()


def test_uploads_are_rate_limited_per_client(notice, settings):
    settings.DOCUMENTS_VERIFY_RATE = (2, 3600)
    client = Client()
    url = verification.verify_path(notice.verification_code)
    content = stored(notice)
    assert upload(client, url, content).status_code == 200
    assert upload(client, url, content).status_code == 200
    third = upload(client, url, content)
    assert third.status_code == 429
    assert "操作过于频繁" in third.content.decode()
    assert "verify-genuine" not in third.content.decode()


def test_superseded_notice_says_so_on_its_page(notice):
    from tests.factories import officer

    corrected = services.reissue_designation_notice(
        actor=officer(), document_id=notice.pk, reason="更正"
    )
    page = Client().get(verification.verify_path(notice.verification_code)).content.decode()
    assert corrected.number in page and "alert-warning" in page
    assert verification.verify_path(corrected.verification_code) in page
