def unread_count(*, user) -> int:
    from .models import Message

    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
