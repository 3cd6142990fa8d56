from django import template

register = template.Library()


@register.filter
def cn_date(value):
    """2026年9月30日 (no leading zeros) in Chinese, 30 September 2026 in English; official
    documents render in Chinese (``translation.override``) and so keep the Chinese form."""
    from documents.languages import local_date

    return local_date(value)


@register.simple_tag(takes_context=True)
def centers_officer_summary(context):
    """Counts for the officer's home card, cached as the providers' parts of My tasks are:
    until what they count changes (accounts.inbox_topics)."""
    from accounts.inbox_topics import cached_value, topic

    from ..models import Objection
    from ..selectors import AWAITING_READS

    reads = [AWAITING_READS, topic(Objection)]
    return cached_value(context.get("user"), "centers-officer-card", reads, _officer_summary)


def _officer_summary() -> dict:
    from django.db.models import Count, Q

    from applications.models import Application

    from ..models import OPEN_OBJECTION_STATUSES, Objection
    from ..selectors import approved_for_publicity

    # both counts of plans awaiting the meeting in one query (the approved are among them)
    approved = approved_for_publicity().order_by().values("pk")
    counts = Application.objects.filter(status=Application.Status.AWAITING_MEETING).aggregate(
        awaiting_meeting=Count("pk"), approved=Count("pk", filter=Q(pk__in=approved))
    )
    open_objections = Objection.objects.filter(status__in=OPEN_OBJECTION_STATUSES).count()
    return {**counts, "open_objections": open_objections}


@register.simple_tag(takes_context=True)
def centers_kept(context):
    """The centers the user's organization leads (cached on the request)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not getattr(user, "is_authenticated", False) or not user.organization_id:
        return []
    cached = getattr(request, "_centers_kept", None)
    if cached is None:
        from ..selectors_center import kept_centers

        cached = list(kept_centers(user).order_by("number"))
        if request is not None:
            request._centers_kept = cached
    return cached


@register.simple_tag(takes_context=True)
def centers_keeps_any(context) -> bool:
    """Whether the user's organization leads a center (the navigation's "My center"): the
    rule of ``centers_kept``, as one existence query, cached on the request and per user like
    the task badge (``accounts.inbox.per_user``: until the next state change — a designation
    or revocation writes one — or INBOX_COUNT_SECONDS)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not getattr(user, "is_authenticated", False) or not user.organization_id:
        return False
    kept = getattr(request, "_centers_kept", None)
    match = getattr(request, "resolver_match", None)
    if kept is None and match is not None and match.view_name == "home":
        kept = centers_kept(context)  # the home page's cards list them: one query for both
    if kept is not None:
        return bool(kept)
    cached = getattr(request, "_centers_keeps_any", None)
    if cached is None:
        from accounts.inbox import per_user

        from ..selectors_center import KEEPS_ANY_ENTRY, keeps_any

        cached = per_user(user, KEEPS_ANY_ENTRY, lambda: keeps_any(user))
        if request is not None:
            request._centers_keeps_any = cached
            if not cached:
                request._centers_kept = []  # nothing to load later in the request
    return cached


@register.simple_tag
def centers_next_due(center):
    from ..selectors_center import next_due

    return next_due(center, list(center.annual_reports.all()))
