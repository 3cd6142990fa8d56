"""Task providers of meetings, publicity and designation (provincial officers): plans for
the office meeting agenda, open meetings, approved plans to publicize, publicity ending,
objections to handle and designations due. The same selectors as the office lists."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.inbox import Task, local_date, rows_provider, shown
from accounts.inbox_topics import topic
from accounts.roles import PROVINCIAL_OFFICER, user_roles
from applications.models import Application
from documents.languages import colon, paren

from . import rules, selectors
from .models import Meeting, MeetingItem, Objection, PublicityItem, PublicityNotice


def _officer(user) -> bool:
    return PROVINCIAL_OFFICER in user_roles(user)


def _named(qs, *related: str):
    return shown(qs, "name", "status", "state_entered_at", *(f"{r}__name" for r in related))


@rows_provider("state_entered_at", reads=[selectors.AWAITING_READS])
def plans_for_the_agenda(user):
    """Plans awaiting the office meeting and not yet on an agenda."""
    if not _officer(user):
        return None
    waiting = _named(selectors.agenda_candidates(), "organization")
    url = reverse("centers:meeting_list")

    def task(app) -> Task:
        return Task(
            kind=_("Plan for the office meeting agenda"),
            title=f"{app.full_name}{paren(app.organization.name)}",
            url=url,
            since=local_date(app.state_entered_at),
        )

    return waiting, task


@rows_provider("created_day", "held_on", "created_at", reads=[topic(Meeting)])
def meetings_to_decide(user):
    """Open meetings to decide and close."""
    if not _officer(user):
        return None
    meetings = (
        Meeting.objects.filter(status=Meeting.Status.OPEN)
        .only("title", "held_on", "created_at")
        .annotate(created_day=TruncDate("created_at"))
    )

    def task(meeting) -> Task:
        return Task(
            kind=_("Office meeting to decide and close"),
            title=meeting.title,
            url=reverse("centers:meeting_detail", args=[meeting.pk]),
            since=local_date(meeting.created_at),
            deadline=meeting.held_on,
        )

    return meetings, task


@rows_provider("approved_since", reads=[selectors.AWAITING_READS])
def publicity_to_publish(user):
    """Plans the office meeting approved, waiting for the publicity notice."""
    if not _officer(user):
        return None
    closed = (
        MeetingItem.objects.filter(
            application=OuterRef("pk"),
            decision=MeetingItem.Decision.APPROVE,
            meeting__closed_at__isnull=False,
        )
        .order_by("-meeting__closed_at")
        .values("meeting__closed_at")[:1]
    )
    approved = _named(selectors.approved_for_publicity()).annotate(
        approved_since=Coalesce(Subquery(closed), "updated_at")
    )
    url = reverse("centers:notice_publish")

    def task(app) -> Task:
        return Task(
            kind=_("Approved plan to publicize"),
            title=app.full_name,
            url=url,
            since=local_date(app.approved_since),
        )

    return approved, task


@rows_provider("start_date", "end_date", reads=[topic(PublicityNotice)])
def publicity_ending(user):
    """Notices in their publicity period: the officer watches them end."""
    if not _officer(user):
        return None

    def task(notice) -> Task:
        return Task(
            kind=_("Publicity ending"),
            title=notice.title,
            url=reverse("centers:notice_manage", args=[notice.pk]),
            since=notice.start_date,
            deadline=notice.end_date,
        )

    # the notices alone: a task never shows their items
    notices = selectors.current_notices().prefetch_related(None)
    return notices.only("title", "start_date", "end_date"), task


@rows_provider("submitted_at", reads=[topic(Objection)])
def objections_to_handle(user):
    if not _officer(user):
        return None
    objections = (
        selectors.objections_for_officer(status="open")
        .select_related(None)
        .select_related("item__application")
        .only(
            "receipt_number",
            "submitted_at",
            "item__application__name",
            "item__application__status",  # django-fsm reads the state of every loaded plan
        )
    )

    def task(obj) -> Task:
        return Task(
            kind=_("Objection to handle"),
            title=f"{obj.receipt_number}{colon()}{obj.item.application.full_name}",
            url=reverse("centers:objection_detail", args=[obj.pk]),
            since=local_date(obj.submitted_at),
        )

    return objections, task


@rows_provider(
    "publicity_item__notice__end_date",
    reads=[
        topic(Application, Application.Status.PUBLICITY),
        topic(PublicityItem),
        topic(PublicityNotice),
        topic(Objection),
    ],
)
def designations_due(user):
    """Plans whose publicity is over without an open objection: to designate."""
    if not _officer(user):
        return None
    due = (
        selectors.designation_due(now=rules.local_now())
        .select_related("publicity_item__notice")
        .only("name", "status", "publicity_item__notice__end_date")
    )

    def task(app) -> Task:
        notice = app.publicity_item.notice
        return Task(
            kind=_("Designation due"),
            title=app.full_name,
            url=reverse("centers:notice_manage", args=[notice.pk]),
            since=notice.end_date + dt.timedelta(days=1),
        )

    return due, task


PROVIDERS = [
    plans_for_the_agenda,
    meetings_to_decide,
    publicity_to_publish,
    publicity_ending,
    objections_to_handle,
    designations_due,
]
