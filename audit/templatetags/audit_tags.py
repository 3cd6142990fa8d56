from django import template

from ..selectors import events_for

register = template.Library()


@register.inclusion_tag("audit/_timeline.html")
def audit_timeline(target, labels=None):
    """Render the timeline of an object's audit events: {% audit_timeline obj %}."""
    return {"events": list(events_for(target=target)), "labels": labels or {}}
