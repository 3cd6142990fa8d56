"""Reads of the in-app messages: only the user's own."""

from django.conf import settings

from audit import request_cache


def unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(*, user) -> int:
    """The navigation's unread count, cached per user for INBOX_COUNT_SECONDS (computed on
    every call when that is 0): the two writes of messages, ``services.notify`` and
    ``services.mark_read``, drop it at once and again when their transaction commits."""
    from .models import Message

    seconds = int(getattr(settings, "INBOX_COUNT_SECONDS", 60))
    if seconds <= 0:
        return Message.objects.filter(recipient=user, read_at__isnull=True).count()
    key = unread_key(user.pk)
    count = request_cache.get(key, user_id=user.pk)
    if count is None:
        count = Message.objects.filter(recipient=user, read_at__isnull=True).count()
        request_cache.set(key, count, seconds)
    return count


@request_cache.page_keys
def _unread_keys(user_id: int):
    # the navigation's badge: read with the request's first cache entry
    return [unread_key(user_id)]


def messages_for(*, user, unread_only: bool = False):
    """The user's own in-app messages, newest first."""
    from .models import Message

    qs = Message.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def get_message_for(*, user, pk: int):
    """One of the user's own messages; 404 for anyone else's."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(messages_for(user=user), pk=pk)
