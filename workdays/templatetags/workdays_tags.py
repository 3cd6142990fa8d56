from django import template

from ..readiness import calendar_warnings, sees_calendar_warnings

register = template.Library()


@register.simple_tag(takes_context=True)
def calendar_readiness(context):
    """The calendar warnings for the request's user (empty for everyone else)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if not sees_calendar_warnings(user):
        return []
    return calendar_warnings()
