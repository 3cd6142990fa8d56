"""The designation-notice task run by a real Celery worker (needs REDIS_URL; CI has it)."""

import os

import pytest
from django.conf import settings as django_settings

from documents import tasks
from documents.models import IssuedDocument
from numbering.models import Sequence
from tests.documents import pdfcheck
from tests.documents.conftest import make_center


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_worker_issues_one_notice_for_two_queued_tasks(celery_worker_process, settings):
    # The worker process stores files under its own MEDIA_ROOT (the default one).
    settings.MEDIA_ROOT = django_settings.VAR_DIR / "media"

    if os.environ.get("MEDIA_ROOT"):
        settings.MEDIA_ROOT = os.environ["MEDIA_ROOT"]
    center = make_center(name="信创")

    first = tasks.issue_designation_notice.delay(center.pk)
    second = tasks.issue_designation_notice.delay(center.pk)

    ids = {first.get(timeout=180), second.get(timeout=180)}
    document = IssuedDocument.objects.get()
    try:
        assert ids == {document.pk}
        assert Sequence.objects.get(kind="document:晋科发").last == 1
        with document.file.open("rb") as handle:
            text = pdfcheck.text(handle.read())
        assert document.number in text
        assert "山西省信创技术创新中心" in text
    finally:
        document.file.storage.delete(document.file.name)
