def unread(request):
    """Unread in-app message count for the navigation bar (filled by the notifications app)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"unread_count": 0}
    from .selectors import unread_count

    return {"unread_count": unread_count(user=user)}
