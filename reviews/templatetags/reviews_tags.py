from django import template

from accounts.inbox import per_user

from ..selectors import home_counts

register = template.Library()


@register.inclusion_tag("reviews/_home_cards.html", takes_context=True)
def reviews_home_cards(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"counts": {}}
    # cached as the home's tasks are: they change with a state change (an audit event)
    counts = per_user(user, "reviews-home-cards", lambda: home_counts(user=user))
    return {"counts": counts}
