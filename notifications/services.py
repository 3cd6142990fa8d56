from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from audit import request_cache

from .models import Message
from .selectors import unread_key


def forget_unread(user_ids) -> None:
    """The cached unread counts of these users are stale: now, and once the transaction
    commits (a page rendered meanwhile may have cached the count before the commit)."""
    keys = [unread_key(pk) for pk in user_ids]
    cache.delete_many(keys)
    request_cache.forget()
    transaction.on_commit(lambda: cache.delete_many(keys))


def notify(*, recipients: Iterable, subject: str, body: str = "", link: str = "") -> list[Message]:
    """Create in-app messages and queue their e-mail copies after the commit."""
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not people:
        return []
    messages = Message.objects.bulk_create(
        [Message(recipient=u, subject=subject, body=body, link=link) for u in people.values()]
    )
    forget_unread(people)
    ids = [m.pk for m in messages if m.pk]
    if not ids:  # backends without RETURNING on bulk_create
        ids = list(
            Message.objects.filter(recipient__in=people.values(), subject=subject)
            .order_by("-pk")
            .values_list("pk", flat=True)[: len(people)]
        )
    if ids:
        from .tasks import send_message_emails

        transaction.on_commit(lambda: send_message_emails.delay(ids))
    return messages


def mark_read(*, user, message_ids: Iterable[int] | None = None) -> int:
    from django.utils import timezone

    qs = Message.objects.filter(recipient=user, read_at__isnull=True)
    if message_ids is not None:
        qs = qs.filter(pk__in=list(message_ids))
    forget_unread([user.pk])
    return qs.update(read_at=timezone.now())
