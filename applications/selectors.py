"""Reads of applications that respect object permissions (DESIGN §3, STYLE: fetch and authorize together)."""

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from accounts.roles import DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, user_roles

from .models import Application, Status


def applications_visible_to(*, user, perm: str = "applications.view_application"):
    """Applications the user may see: object permissions via their groups. Only provincial
    officers' global permissions (``view_application``, ``recheck_application``: every plan
    is theirs to re-check) open every plan; a global permission held by anyone else never
    stands in for the object permission of the department the plan is routed to."""
    if not user.is_authenticated:
        return Application.objects.none()
    # the model class, not a queryset: see accounts.permissions.restrict
    return get_objects_for_user(
        user,
        perm,
        klass=Application,
        accept_global_perms=PROVINCIAL_OFFICER in user_roles(user),
        with_superuser=True,
    )


def get_application_for(
    *, user, pk: int, perm: str = "applications.view_application"
) -> Application:
    """Fetch one application through the user's permission; 404 when it is not theirs."""
    try:
        return applications_visible_to(user=user, perm=perm).get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("No such application.") from exc


# --- review side: department review inbox and provincial re-check -------------

REVIEW_PERM = "applications.review_application"
RECHECK_PERM = "applications.recheck_application"

# Order of the states along the graph, for sorting the inbox "by state".
STATE_ORDER = [
    Status.DRAFT,
    Status.DEPT_REVIEW,
    Status.RETURNED,
    Status.PROVINCE_RECHECK,
    Status.EXPERT_REVIEW,
    Status.IMPROVING,
    Status.AWAITING_MEETING,
    Status.PUBLICITY,
    Status.DESIGNATED,
    Status.REJECTED,
    Status.WITHDRAWN,
]


def review_perm_for(user) -> str | None:
    """The permission through which ``user`` reviews plans: provincial officers re-check all
    plans, department reviewers review the plans routed to their department; others none."""
    roles = user_roles(user)
    if PROVINCIAL_OFFICER in roles:
        return RECHECK_PERM
    if DEPARTMENT_REVIEWER in roles:
        return REVIEW_PERM
    return None


def applications_for_reviewer(*, user):
    """Submitted plans the user reviews (never drafts), with what an inbox row shows."""
    perm = review_perm_for(user)
    if perm is None:
        return Application.objects.none()
    return (
        applications_visible_to(user=user, perm=perm)
        .exclude(status=Status.DRAFT)
        .select_related(
            "organization", "organization__registered_city", "department", "industry_field"
        )
    )


def application_for_reviewer(*, user, pk: int) -> Application:
    """One plan on the review side; 404 when the user does not review it."""
    try:
        return applications_for_reviewer(user=user).get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("No such application.") from exc


def annotate_state_order(qs):
    return qs.annotate(
        state_order=Case(
            *[When(status=s, then=Value(i)) for i, s in enumerate(STATE_ORDER)],
            default=Value(len(STATE_ORDER)),
            output_field=IntegerField(),
        )
    )


def filter_inbox(
    qs,
    *,
    q: str = "",
    state: str = "",
    kind: str = "",
    field=None,
    city=None,
    department=None,
    submitted_from=None,
    submitted_to=None,
    sort: str = "-submitted_at",
):
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(number__icontains=q)
            | Q(organization__name__icontains=q)
            | Q(organization__credit_code__icontains=q.upper())
        )
    if department:
        qs = qs.filter(department=department)
    if state:
        qs = qs.filter(status=state)
    if kind:
        qs = qs.filter(kind=kind)
    if field:
        qs = qs.filter(industry_field=field)
    if city:
        qs = qs.filter(organization__registered_city=city)
    if submitted_from:
        qs = qs.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        qs = qs.filter(submitted_at__date__lte=submitted_to)
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "status":
        qs = annotate_state_order(qs)
        order = [F("state_order").desc() if descending else F("state_order").asc()]
    elif key == "name":
        order = [F("name").desc() if descending else F("name").asc()]
    else:
        order = [
            F("submitted_at").desc(nulls_last=True)
            if descending
            else F("submitted_at").asc(nulls_last=True)
        ]
    return qs.order_by(*order, "-pk")
