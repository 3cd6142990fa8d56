"""{% center_changes center %}: the change-request section of a center's page (Art. 15)."""

from django import template

from centers import selectors_changes as selectors

register = template.Library()


@register.inclusion_tag("centers/changes/_section.html", takes_context=True)
def center_changes(context, center):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "center": center,
        "rows": selectors.requests_visible_to(user)
        .filter(center=center)
        .order_by("-created_at", "-pk"),
        "history": selectors.applied_changes(center).select_related("request"),
        "may_file": selectors.own_centers(user).filter(pk=center.pk).exists(),
        "request": request,
    }
