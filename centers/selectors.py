"""Reads of meetings, publicity, objections and the registry (services write, selectors read)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.inbox_topics import topic
from applications.models import Application

from . import rules
from .models import (
    OPEN_OBJECTION_STATUSES,
    Center,
    CenterName,
    Meeting,
    MeetingItem,
    Objection,
    PublicityItem,
    PublicityNotice,
)

AWAITING = Application.Status.AWAITING_MEETING
# what agenda_candidates and approved_for_publicity read (My tasks' topics, accounts.inbox_topics)
AWAITING_READS = (
    *topic(Application, AWAITING),
    *topic(Meeting),
    *topic(MeetingItem),
    *topic(PublicityItem),
)


def _approved_subquery():
    return MeetingItem.objects.filter(
        application=OuterRef("pk"),
        meeting__status=Meeting.Status.CLOSED,
        decision=MeetingItem.Decision.APPROVE,
    )


def agenda_candidates():
    """Plans awaiting the meeting that are neither on an open agenda nor already approved."""
    on_open_agenda = MeetingItem.objects.filter(
        application=OuterRef("pk"), meeting__status=Meeting.Status.OPEN
    )
    return (
        Application.objects.filter(status=AWAITING)
        .exclude(Exists(on_open_agenda))
        .exclude(Exists(_approved_subquery()))
        .select_related("organization", "industry_field", "department")
        .order_by("submitted_at", "pk")
    )


def approved_for_publicity():
    """Plans approved by a closed meeting, still awaiting publicity."""
    return (
        Application.objects.filter(status=AWAITING)
        .filter(Exists(_approved_subquery()))
        .exclude(Exists(PublicityItem.objects.filter(application=OuterRef("pk"))))
        .select_related("organization", "industry_field")
        .order_by("pk")
    )


def _count_per_row(rows, link: str):
    """The number of ``rows`` whose ``link`` is the listed row: a subquery per row of the
    page, not a join and grouping of every row before the page is cut (the paginator's
    count stays a plain count)."""
    counted = (
        rows.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def meetings():
    """Meetings with their number of agenda items."""
    return Meeting.objects.annotate(item_count=_count_per_row(MeetingItem.objects, "meeting"))


def meeting_items(meeting: Meeting):
    return meeting.items.select_related(
        "application__organization", "application__industry_field", "decided_by"
    ).order_by("order", "pk")


# --------------------------------------------------------------------------- publicity


def _with_items(qs):
    return qs.prefetch_related(
        Prefetch("items", queryset=PublicityItem.objects.order_by("order", "pk"))
    )


def current_notices(*, today: dt.date | None = None):
    today = today or rules.local_now().date()
    return _with_items(
        PublicityNotice.objects.filter(start_date__lte=today, end_date__gte=today)
    ).order_by("-start_date", "-pk")


def archived_notices(*, today: dt.date | None = None):
    today = today or rules.local_now().date()
    return _with_items(PublicityNotice.objects.filter(end_date__lt=today)).order_by(
        "-start_date", "-pk"
    )


def published_notices(*, today: dt.date | None = None):
    """Every notice whose start day has come (current and past), newest first."""
    today = today or rules.local_now().date()
    return _with_items(PublicityNotice.objects.filter(start_date__lte=today)).order_by(
        "-start_date", "-pk"
    )


def public_notice(*, pk: int) -> PublicityNotice:
    """A published notice (every notice whose start day has come is public)."""
    today = rules.local_now().date()
    notice = _with_items(PublicityNotice.objects.filter(pk=pk, start_date__lte=today)).first()
    if notice is None:
        raise Http404("No such notice.")
    return notice


def notices_for_officer():
    """Notices with their number of plans and of open objections."""
    open_objections = Objection.objects.filter(status__in=OPEN_OBJECTION_STATUSES)
    return PublicityNotice.objects.annotate(
        item_count=_count_per_row(PublicityItem.objects, "notice"),
        open_objections=_count_per_row(open_objections, "item__notice"),
    ).order_by("-start_date", "-pk")


def notice_items_for_officer(notice: PublicityNotice):
    open_count = Count("objections", filter=Q(objections__status__in=OPEN_OBJECTION_STATUSES))
    return (
        notice.items.select_related("application", "application__center")
        .annotate(open_objections=open_count, all_objections=Count("objections"))
        .order_by("order", "pk")
    )


def designation_due(*, now: dt.datetime | None = None):
    """Plans in publicity whose period is over and that have no open objection."""
    today = rules.local_now(now).date()
    open_objection = Objection.objects.filter(
        item__application=OuterRef("pk"), status__in=OPEN_OBJECTION_STATUSES
    )
    return (
        Application.objects.filter(
            status=Application.Status.PUBLICITY, publicity_item__notice__end_date__lt=today
        )
        .exclude(Exists(open_objection))
        .order_by("pk")
    )


# --------------------------------------------------------------------------- objections


def objections_for_officer(*, status: str = ""):
    qs = Objection.objects.select_related("item__notice", "item__application")
    if status == "open":
        qs = qs.filter(status__in=OPEN_OBJECTION_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-submitted_at", "-pk")


def objection_for_officer(*, pk: int) -> Objection:
    obj = (
        Objection.objects.select_related("item__notice", "item__application", "resolved_by")
        .prefetch_related("evidence", "notes__author")
        .filter(pk=pk)
        .first()
    )
    if obj is None:
        raise Http404("No such objection.")
    return obj


def objection_status_lookup(*, receipt_number: str, phone_last4: str) -> Objection | None:
    """The objection with this receipt whose phone ends with these 4 digits, or None."""
    receipt_number = (receipt_number or "").strip().upper()
    phone_last4 = (phone_last4 or "").strip()
    if not receipt_number or len(phone_last4) != 4 or not phone_last4.isdigit():
        return None
    obj = (
        Objection.objects.select_related("item__notice")
        .filter(receipt_number=receipt_number)
        .first()
    )
    if obj is None:
        return None
    digits = "".join(ch for ch in obj.phone if ch.isdigit())
    return obj if digits.endswith(phone_last4) else None


# --------------------------------------------------------------------------- registry


def _former_names():
    return Prefetch(
        "names",
        queryset=CenterName.objects.filter(valid_to__isnull=False).order_by("valid_from", "pk"),
        to_attr="former_names",
    )


def registry(*, q: str = "", kind: str = "", field: str = "", city: str = "", status: str = ""):
    """Designated centers for the public registry, filtered; one query plus one prefetch.

    Public data only: the lead organization is found and shown by its verified name
    (``Organization.public_name``), never by a change still waiting for verification."""
    qs = Center.objects.select_related(
        "industry_field", "lead_organization", "city"
    ).prefetch_related(_former_names())
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(number__icontains=q)
            | Q(lead_organization__verified_name__icontains=q)
            # a subquery, not a join: no duplicate rows, so no DISTINCT over the JSON columns
            | Exists(CenterName.objects.filter(center=OuterRef("pk"), name__icontains=q))
        )
    if kind:
        qs = qs.filter(kind=kind)
    if field:
        qs = qs.filter(industry_field__code=field)
    if city:
        qs = qs.filter(city__division_code=city)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-designated_on", "number")


def registry_center(*, number: str) -> Center:
    center = (
        Center.objects.select_related(
            "industry_field", "lead_organization", "city", "department", "application"
        )
        .prefetch_related(_former_names(), "strategic_areas")
        .filter(number=number)
        .first()
    )
    if center is None:
        raise Http404("No such center.")
    return center


def designation_notices(center: Center) -> list:
    """The issued designation notices of a center (documents app), or [] when not available."""
    try:
        from documents.selectors import notices_for
    except ImportError:
        return []
    return list(notices_for(center))


def downloadable_document_ids(*, user, documents) -> set[int]:
    """Which of these issued documents the user may download (documents app decides)."""
    if not documents or not getattr(user, "is_authenticated", False):
        return set()
    try:
        from documents.selectors import documents_visible_to
    except ImportError:
        return set()
    ids = [d.pk for d in documents]
    return set(documents_visible_to(user=user).filter(pk__in=ids).values_list("pk", flat=True))
