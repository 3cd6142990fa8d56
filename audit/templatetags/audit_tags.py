from django import template

from ..selectors import timeline_for

register = template.Library()


@register.inclusion_tag("audit/_timeline.html", takes_context=True)
def audit_timeline(context, target, labels=None):
    """Render the timeline of an object's audit events: {% audit_timeline obj %}.

    What the reader sees depends on who reads (``audit.visibility``): the offices read the
    whole log with names; an applicant reads only the events declared for applicants, with
    experts and officers shown as 专家组 / 省科技厅. Each event shows ``data["label"]`` (a
    Chinese action label written by the service), else ``labels[action]`` when a dict is
    passed, else the action code.
    """
    request = context.get("request")
    viewer = getattr(request, "user", None) if request is not None else context.get("user")
    return {"events": timeline_for(target=target, viewer=viewer, labels=labels)}
