from django import template

register = template.Library()


@register.filter
def cn_date(value):
    """2026年9月30日 (Chinese date form of official notices, no leading zeros)."""
    from documents.formatting import cn_date as format_date

    return format_date(value) if value else ""


@register.simple_tag
def centers_officer_summary():
    """Counts for the officer's home card."""
    from applications.models import Application

    from ..models import OPEN_OBJECTION_STATUSES, Objection
    from ..selectors import approved_for_publicity

    return {
        "awaiting_meeting": Application.objects.filter(
            status=Application.Status.AWAITING_MEETING
        ).count(),
        "approved": approved_for_publicity().count(),
        "open_objections": Objection.objects.filter(status__in=OPEN_OBJECTION_STATUSES).count(),
    }
