"""The approval document (批复) of a rename: official layout, number from the shared sequence,
issued once, downloadable by those who may see the center."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from centers.models_changes import CenterChangeRequest
from centers.services import change_documents, changes
from documents.models import DocumentKind, IssuedDocument
from tests.factories import OrganizationFactory, applicant, reviewer

from .change_factories import dept_user, filed, make_center, staff_of

OLD = "山西省碳基新材料技术创新中心"
NEW = "山西省碳基先进材料技术创新中心"


@pytest.fixture
def approved(db, officer, settings):
    from config.celery import app

    center = make_center()
    request = filed(center)
    changes.change_request_decide(
        actor=dept_user(center), request_id=request.pk, decision="approve"
    )
    old = app.conf.task_always_eager
    app.conf.task_always_eager = True  # the approval document is issued on commit
    try:
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            changes.change_request_decide(
                actor=officer, request_id=request.pk, decision="approve", opinion="同意。"
            )
    finally:
        app.conf.task_always_eager = old
    request.refresh_from_db()
    return request


def _text(document) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")


def test_approval_pdf_names_both_names_the_number_and_art_15(approved):
    document = approved.approval_document
    assert document is not None and document.kind == DocumentKind.CHANGE_APPROVAL
    assert document.number.startswith("晋科发〔") and document.number.endswith("号")
    text = _text(document)
    assert OLD in text and NEW in text
    assert document.number in text
    assert "第十五条" in text and "山西省科学技术厅" in text
    assert "批复" in document.title and OLD in document.title and NEW in document.title


def test_issued_once_and_number_from_the_shared_sequence(approved, officer):
    again = change_documents.issue_change_approval(actor=officer, request_id=approved.pk)
    assert again.pk == approved.approval_document_id
    assert IssuedDocument.objects.filter(kind=DocumentKind.CHANGE_APPROVAL).count() == 1
    # the designation notice of another center takes the next number of the same sequence
    from documents.services import issue_designation_notice

    notice = issue_designation_notice(actor=None, center_id=make_center(name="氢能").pk)
    assert notice.prefix == again.prefix and notice.year == again.year
    assert notice.sequence == again.sequence + 1


def test_a_direction_change_is_not_issued_as_a_document(db, officer):
    center = make_center()
    request = filed(
        center,
        kind="direction",
        data={"reasons": "产业需求变化，研究方向需要调整。", "new_direction": "碳纤维"},
    )
    changes.change_request_decide(
        actor=dept_user(center), request_id=request.pk, decision="approve"
    )
    changes.change_request_decide(actor=officer, request_id=request.pk, decision="approve")
    assert CenterChangeRequest.objects.get(pk=request.pk).approval_document is None
    with pytest.raises(changes.CentersError):
        change_documents.issue_change_approval(actor=officer, request_id=request.pk)


def test_download_for_those_who_see_the_center_only(client, approved):
    url = reverse("documents:download", args=[approved.approval_document_id])
    center = approved.center
    for user in (staff_of(center), dept_user(center, username="dept_dl")):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for user in (applicant(OrganizationFactory()), reviewer("大同市")):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
