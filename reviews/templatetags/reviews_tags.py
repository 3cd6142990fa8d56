from django import template

from ..selectors import home_counts

register = template.Library()


@register.inclusion_tag("reviews/_home_cards.html", takes_context=True)
def reviews_home_cards(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    counts = home_counts(user=user) if user is not None else {}
    return {"counts": counts}
