from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Message


@shared_task
def send_message_emails(message_ids: list[int]) -> int:
    """E-mail copies of in-app messages; idempotent: each message is mailed once."""
    sent = 0
    for pk in message_ids:
        with transaction.atomic():
            msg = (
                Message.objects.select_for_update()
                .select_related("recipient")
                .filter(pk=pk, emailed_at__isnull=True)
                .first()
            )
            if msg is None or not msg.recipient.email:
                continue
            link = f"{settings.SITE_URL}{msg.link}" if msg.link else ""
            send_mail(
                subject=f"[山西省技术创新中心管理平台] {msg.subject}",
                message=f"{msg.body}\n\n{link}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[msg.recipient.email],
            )
            from django.utils import timezone

            msg.emailed_at = timezone.now()
            msg.save(update_fields=["emailed_at"])
            sent += 1
    return sent
