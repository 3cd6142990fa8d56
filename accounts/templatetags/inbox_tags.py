from django import template

from ..inbox import task_count

register = template.Library()


@register.simple_tag(takes_context=True)
def my_task_count(context) -> int:
    """The number of things waiting for the user (the navigation badge), 0 for visitors."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return task_count(user)
