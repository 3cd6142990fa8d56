"""A real Celery worker process on Redis runs the e-mail task against the test database."""

import pytest

from notifications.models import Message
from notifications.tasks import send_message_emails
from tests.factories import UserFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def mails_to(mail_dir, address):
    # The worker is shared by the session: other tests' messages may be in the folder too.
    return [p for p in mail_dir.glob("*.log") if f"To: {address}" in p.read_text()]


def test_worker_sends_message_email_and_marks_it(celery_worker_process):
    mail_dir = celery_worker_process["mail_dir"]
    user = UserFactory(username="mail_target", email="mail_target@example.com")
    msg = Message.objects.create(
        recipient=user, subject="方案已退回", body="请补充材料。", link="/x/"
    )

    result = send_message_emails.delay([msg.pk])
    assert result.get(timeout=30) == 1

    msg.refresh_from_db()
    assert msg.emailed_at is not None
    assert len(mails_to(mail_dir, "mail_target@example.com")) == 1

    # Idempotent: a second delivery of the same id sends nothing more.
    assert send_message_emails.delay([msg.pk]).get(timeout=30) == 0
    assert len(mails_to(mail_dir, "mail_target@example.com")) == 1
