from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def applicant_summary(context):
    """Counts for the home card: plans of the user's organization by what is expected next."""
    from applications.models import Status
    from applications.queries import applications_of_applicant

    user = context["request"].user
    rows = list(applications_of_applicant(user=user).values_list("status", flat=True))
    return {
        "total": len(rows),
        "to_edit": sum(1 for s in rows if s in (Status.DRAFT, Status.RETURNED, Status.IMPROVING)),
        "returned": sum(1 for s in rows if s == Status.RETURNED),
    }


@register.simple_tag(takes_context=True)
def pending_organizations_count(context):
    from accounts.lists import pending_for
    from accounts.models import Organization

    user = context["request"].user
    return pending_for(user).filter(status=Organization.Status.PENDING).count()
