"""Conditions of the office-meeting, publicity and designation steps.

``applications.rules`` delegates four transition conditions here (each takes the
application and returns a bool): ``meeting_approved``, ``meeting_rejected``,
``publicity_over_no_open_objection`` and ``objection_upheld_exists``. The other
helpers answer the same questions for views and services.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import OPEN_OBJECTION_STATUSES, Meeting, MeetingItem, Objection, PublicityItem


def local_now(now: dt.datetime | None = None) -> dt.datetime:
    """The moment in Asia/Shanghai (``now`` lets callers and tests fix the clock)."""
    return timezone.localtime(now or timezone.now())


def latest_meeting_decision(app) -> str | None:
    """The decision of the last closed meeting that decided this plan (approve/reject/defer)."""
    item = (
        MeetingItem.objects.filter(application_id=app.pk, meeting__status=Meeting.Status.CLOSED)
        .exclude(decision=MeetingItem.Decision.PENDING)
        .order_by("-meeting__closed_at", "-meeting__held_on", "-pk")
        .only("decision")
        .first()
    )
    return item.decision if item else None


def meeting_approved(app) -> bool:
    """A closed office meeting approved the plan (start_publicity may run)."""
    return latest_meeting_decision(app) == MeetingItem.Decision.APPROVE


def meeting_rejected(app) -> bool:
    """A closed office meeting rejected the plan (meeting_reject may run)."""
    return latest_meeting_decision(app) == MeetingItem.Decision.REJECT


def objection_window_open(notice, now: dt.datetime | None = None) -> bool:
    """Objections are accepted from the publication day until 23:59:59 of the last day (Shanghai)."""
    day = local_now(now).date()
    return notice.start_date <= day <= notice.end_date


def publicity_over(notice, now: dt.datetime | None = None) -> bool:
    return local_now(now).date() > notice.end_date


def _item(app) -> PublicityItem | None:
    return PublicityItem.objects.select_related("notice").filter(application_id=app.pk).first()


def open_objections_exist(app) -> bool:
    return Objection.objects.filter(
        item__application_id=app.pk, status__in=OPEN_OBJECTION_STATUSES
    ).exists()


def publicity_over_no_open_objection(app, now: dt.datetime | None = None) -> bool:
    """The plan's publicity period is over and no objection to it is open (designate may run)."""
    item = _item(app)
    if item is None or not publicity_over(item.notice, now):
        return False
    return not open_objections_exist(app)


def objection_upheld_exists(app) -> bool:
    """An officer upheld an objection to the plan (objection_upheld may run)."""
    return Objection.objects.filter(
        item__application_id=app.pk, status=Objection.Status.UPHELD
    ).exists()
