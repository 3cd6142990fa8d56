"""The plan book (申报书): every frozen version as a stored PDF, the applicant's draft copy."""

import pytest
from django.test import Client
from django.urls import reverse

from applications import plan_book, sections
from applications.models import VersionBook
from applications.services import application_submit
from applications.tasks import render_version_book
from tests.documents import pdfcheck
from tests.factories import OrganizationFactory, applicant, reviewer


@pytest.fixture
def submitted(user, plan):
    return application_submit(actor=user, application_id=plan.pk)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_version_book_has_the_cover_every_section_and_the_version_mark(submitted, user):
    client = Client()
    client.force_login(user)
    url = reverse("applications:version_pdf", args=[submitted.pk, 1])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"]
    assert "%E7%AC%AC1%E7%89%88" in response["Content-Disposition"]  # 第1版 in the file name
    text = pdfcheck.text(body(response))
    assert "建设方案（申报书）" in text and "山西省半导体材料技术创新中心" in text
    assert submitted.number in text
    assert submitted.organization.public_name in text
    assert text.count("第1版") >= 3  # the cover and the header of the following pages
    titles = [s.title for s in sections.SECTIONS]
    assert len(titles) == 12
    position = -1
    for n, title in enumerate(titles, start=1):
        heading = f"{plan_book.ordinal(n)}、{title}"
        assert heading in text, heading
        assert text.index(heading) > position, f"{heading} out of order"
        position = text.index(heading)
    for item in submitted.current_version.attachments:
        assert item["name"].replace(" ", "") in text
    assert "第2页共" in text and "草稿" not in text


def test_book_is_rendered_once_and_kept(submitted, user):
    version = submitted.current_version
    first = render_version_book.apply(args=[version.pk]).get()
    assert render_version_book.apply(args=[version.pk]).get() == first
    book = VersionBook.objects.get(version=version)
    with book.file.open("rb") as handle:
        stored = handle.read()
    client = Client()
    client.force_login(user)
    again = body(client.get(reverse("applications:version_pdf", args=[submitted.pk, 1])))
    assert again == stored and VersionBook.objects.count() == 1
    assert book.file.name.startswith("private/")


def test_refused_users_get_404(submitted, user, org):
    url = reverse("applications:version_pdf", args=[submitted.pk, 1])
    other = Client()
    other.force_login(applicant(OrganizationFactory(name="大同其他单位有限公司")))
    assert other.get(url).status_code == 404
    foreign_bureau = Client()
    foreign_bureau.force_login(reviewer("大同市"))
    assert foreign_bureau.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: sign in first
    own = Client()
    own.force_login(user)
    assert own.get(reverse("applications:version_pdf", args=[submitted.pk, 9])).status_code == 404
    routed = Client()
    routed.force_login(reviewer("太原市"))
    assert routed.get(url).status_code == 200
    assert not VersionBook.objects.exclude(version__application=submitted).exists()


def test_draft_copy_is_marked_and_not_stored(plan, user):
    client = Client()
    client.force_login(user)
    response = client.get(reverse("applications:draft_pdf", args=[plan.pk]))
    assert response.status_code == 200
    text = pdfcheck.text(response.content)
    assert "草稿" in text and "不作为申报材料" in text
    assert "一、基本信息" in text and "十二、附件" in text
    assert "第1版" not in text
    assert VersionBook.objects.count() == 0
    # only the applicant's own staff
    bureau = Client()
    bureau.force_login(reviewer("太原市"))
    assert bureau.get(reverse("applications:draft_pdf", args=[plan.pk])).status_code in (403, 404)
    other = Client()
    other.force_login(applicant(OrganizationFactory(name="大同其他单位有限公司")))
    assert other.get(reverse("applications:draft_pdf", args=[plan.pk])).status_code == 404
