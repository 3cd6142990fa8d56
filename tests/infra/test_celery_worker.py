"""A real Celery worker process on Redis runs the e-mail task against the test database."""

import pytest

from notifications.models import Message
from notifications.tasks import send_message_emails
from tests.factories import UserFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_worker_sends_message_email_and_marks_it(celery_worker_process):
    user = UserFactory(username="mail_target", email="mail_target@example.com")
    msg = Message.objects.create(
        recipient=user, subject="方案已退回", body="请补充材料。", link="/x/"
    )

    result = send_message_emails.delay([msg.pk])
    assert result.get(timeout=30) == 1

    msg.refresh_from_db()
    assert msg.emailed_at is not None
    mails = list(celery_worker_process["mail_dir"].glob("*.log"))
    assert len(mails) == 1
    text = mails[0].read_text()
    assert "mail_target@example.com" in text

    # Idempotent: a second delivery of the same id sends nothing more.
    assert send_message_emails.delay([msg.pk]).get(timeout=30) == 0
    assert len(list(celery_worker_process["mail_dir"].glob("*.log"))) == 1
