from .roles import user_roles


def roles(request):
    """The user's roles, and the same as one string in a fixed order (a cache key's part)."""
    held = user_roles(getattr(request, "user", None))
    return {"user_roles": held, "user_roles_key": ",".join(sorted(held))}
