from django import template

from ..selectors import events_for

register = template.Library()


@register.inclusion_tag("audit/_timeline.html")
def audit_timeline(target, labels=None):
    """Render the timeline of an object's audit events: {% audit_timeline obj %}.

    Each event shows ``data["label"]`` (a Chinese action label written by the
    service), else ``labels[action]`` when a dict is passed, else the action code.
    """
    labels = labels or {}
    events = list(events_for(target=target))
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        event.display_label = data.get("label") or labels.get(event.action) or event.action
    return {"events": events}
