"""Task providers of meetings, publicity and designation (provincial officers): plans for
the office meeting agenda, open meetings, approved plans to publicize, publicity ending,
objections to handle and designations due. The same selectors as the office lists."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.inbox import Task, entered_state, local_date, rows_provider
from accounts.roles import PROVINCIAL_OFFICER, user_roles
from applications.models import Application
from documents.languages import colon, paren

from . import rules, selectors
from .models import Meeting, MeetingItem


def _officer(user) -> bool:
    return PROVINCIAL_OFFICER in user_roles(user)


@rows_provider("waiting_since")
def plans_for_the_agenda(user):
    """Plans awaiting the office meeting and not yet on an agenda."""
    if not _officer(user):
        return None
    # a task needs the names, never the plan's JSON
    waiting = (
        selectors.agenda_candidates()
        .defer("plan")
        .annotate(waiting_since=entered_state(Application, fallback="updated_at"))
    )
    url = reverse("centers:meeting_list")

    def task(app) -> Task:
        return Task(
            kind=_("Plan for the office meeting agenda"),
            title=f"{app.full_name}{paren(app.organization.name)}",
            url=url,
            since=local_date(app.waiting_since),
        )

    return waiting, task


def meetings_to_decide(user) -> list[Task]:
    """Open meetings to decide and close."""
    if not _officer(user):
        return []
    tasks = []
    for meeting in Meeting.objects.filter(status=Meeting.Status.OPEN).order_by("pk"):
        tasks.append(
            Task(
                kind=_("Office meeting to decide and close"),
                title=meeting.title,
                url=reverse("centers:meeting_detail", args=[meeting.pk]),
                since=local_date(meeting.created_at),
                deadline=meeting.held_on,
            )
        )
    return tasks


def publicity_to_publish(user) -> list[Task]:
    """Plans the office meeting approved, waiting for the publicity notice."""
    if not _officer(user):
        return []
    approved = selectors.approved_for_publicity().annotate(
        approved_at=Max(
            "meeting_items__meeting__closed_at",
            filter=Q(meeting_items__decision=MeetingItem.Decision.APPROVE),
        )
    )
    url = reverse("centers:notice_publish")
    return [
        Task(
            kind=_("Approved plan to publicize"),
            title=app.full_name,
            url=url,
            since=local_date(app.approved_at or app.updated_at),
        )
        for app in approved
    ]


@rows_provider("start_date", "end_date")
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
    return selectors.current_notices().prefetch_related(None).order_by("pk"), task


def objections_to_handle(user) -> list[Task]:
    if not _officer(user):
        return []
    return [
        Task(
            kind=_("Objection to handle"),
            title=f"{obj.receipt_number}{colon()}{obj.item.application.full_name}",
            url=reverse("centers:objection_detail", args=[obj.pk]),
            since=local_date(obj.submitted_at),
        )
        for obj in selectors.objections_for_officer(status="open")
    ]


def designations_due(user) -> list[Task]:
    """Plans whose publicity is over without an open objection: to designate."""
    if not _officer(user):
        return []
    due = selectors.designation_due(now=rules.local_now()).select_related("publicity_item__notice")
    tasks = []
    for app in due:
        notice = app.publicity_item.notice
        tasks.append(
            Task(
                kind=_("Designation due"),
                title=app.full_name,
                url=reverse("centers:notice_manage", args=[notice.pk]),
                since=notice.end_date + dt.timedelta(days=1),
            )
        )
    return tasks


PROVIDERS = [
    plans_for_the_agenda,
    meetings_to_decide,
    publicity_to_publish,
    publicity_ending,
    objections_to_handle,
    designations_due,
]
