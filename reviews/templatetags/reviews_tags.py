from django import template

from accounts.inbox_topics import cached_value, topic
from applications.models import Application

from ..models import Panel, PanelMember, ScoreSheet
from ..selectors import home_counts

# what home_counts counts: the expert's seats and sheets, the officer's plans and panels
READS = [
    topic(Panel),
    topic(PanelMember),
    topic(ScoreSheet),
    topic(Application, Application.Status.EXPERT_REVIEW),
]

register = template.Library()


@register.inclusion_tag("reviews/_home_cards.html", takes_context=True)
def reviews_home_cards(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"counts": {}}
    # cached as the providers' parts of My tasks are: until what they count changes
    counts = cached_value(user, "reviews-home-cards", READS, lambda: home_counts(user=user))
    return {"counts": counts}
