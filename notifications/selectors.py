def unread_count(*, user) -> int:
    from .models import Message

    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


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
