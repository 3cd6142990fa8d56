"""Office meetings (厅会议, DESIGN §2.3): agenda, staged decisions, minutes, closing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import require_officer
from applications.models import Application
from applications.services import application_transition
from audit.services import record
from centers.models import Meeting, MeetingItem
from centers.services.common import AWAITING, CentersError, applicant_users, check_file
from documents.languages import punct
from notifications.services import notify


def meeting_create(*, actor, title: str, held_on: dt.date) -> Meeting:
    require_officer(actor)
    title = (title or "").strip()
    if not title:
        raise CentersError(_("Fill in the name of the meeting, such as “2026年第12次厅务会议”."))
    with transaction.atomic():
        meeting = Meeting.objects.create(title=title, held_on=held_on, created_by=actor)
        record(
            actor=actor,
            action="centers.meeting_created",
            target=meeting,
            to_state=meeting.status,
            data={"label": "创建厅会议", "held_on": held_on.isoformat()},
        )
    return meeting


def _lock_open_meeting(meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
    if not meeting.is_open:
        raise CentersError(
            _("The meeting is closed; its agenda and decisions can no longer change.")
        )
    return meeting


def meeting_add_items(*, actor, meeting_id: int, application_ids) -> list[MeetingItem]:
    """Put plans awaiting the meeting on the agenda."""
    from centers.selectors import agenda_candidates

    require_officer(actor)
    ids = sorted({int(pk) for pk in application_ids})
    if not ids:
        raise CentersError(_("Choose at least one plan awaiting the meeting."))
    with transaction.atomic():
        meeting = _lock_open_meeting(meeting_id)
        allowed = set(agenda_candidates().filter(pk__in=ids).values_list("pk", flat=True))
        refused = [pk for pk in ids if pk not in allowed]
        if refused:
            names = punct("、").join(
                a.full_name for a in Application.objects.filter(pk__in=refused).order_by("pk")
            )
            raise CentersError(
                _(
                    "These plans are not awaiting the meeting, are on another meeting's agenda "
                    "or are already approved: %(names)s"
                )
                % {"names": names}
            )
        start = meeting.items.count()
        items = []
        for offset, app in enumerate(Application.objects.filter(pk__in=ids).order_by("pk")):
            items.append(
                MeetingItem.objects.create(
                    meeting=meeting, application=app, order=start + offset + 1
                )
            )
            record(
                actor=actor,
                action="centers.meeting_item_added",
                target=app,
                data={"label": "列入厅会议议程", "meeting": meeting.title},
            )
    return items


def meeting_remove_item(*, actor, item_id: int) -> None:
    require_officer(actor)
    with transaction.atomic():
        item = MeetingItem.objects.select_related("application").get(pk=item_id)
        _lock_open_meeting(item.meeting_id)
        record(
            actor=actor,
            action="centers.meeting_item_removed",
            target=item.application,
            data={"label": "移出厅会议议程", "meeting": item.meeting.title},
        )
        item.delete()


def meeting_stage_decision(*, actor, item_id: int, decision: str, reason: str = "") -> MeetingItem:
    """Record the meeting's decision on one plan; applied when the meeting is closed."""
    require_officer(actor)
    reason = (reason or "").strip()
    if decision not in (
        MeetingItem.Decision.APPROVE,
        MeetingItem.Decision.REJECT,
        MeetingItem.Decision.DEFER,
        MeetingItem.Decision.PENDING,
    ):
        raise CentersError(_("Choose the meeting's decision: approve, not approve or defer."))
    if decision == MeetingItem.Decision.REJECT and not reason:
        raise CentersError(_("A decision not to approve needs reasons."))
    with transaction.atomic():
        item = MeetingItem.objects.select_related("meeting").get(pk=item_id)
        _lock_open_meeting(item.meeting_id)
        item = MeetingItem.objects.select_for_update().get(pk=item_id)
        item.decision = decision
        item.reason = reason
        item.decided_by = actor
        item.decided_at = timezone.now()
        item.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    return item


def meeting_upload_minutes(*, actor, meeting_id: int, upload) -> Meeting:
    require_officer(actor)
    check_file(upload, _("Minutes"))
    with transaction.atomic():
        meeting = _lock_open_meeting(meeting_id)
        meeting.minutes.save(upload.name, upload, save=False)
        meeting.minutes_name = upload.name[:200]
        meeting.save(update_fields=["minutes", "minutes_name"])
        record(
            actor=actor,
            action="centers.meeting_minutes",
            target=meeting,
            data={"label": "上传会议纪要", "file": meeting.minutes_name},
        )
    return meeting


def meeting_close(*, actor, meeting_id: int) -> Meeting:
    """Close the meeting and apply every staged decision together, in one transaction."""
    require_officer(actor)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        if not meeting.is_open:
            raise CentersError(_("Someone else has closed the meeting; reload the page to see it."))
        items = list(meeting.items.select_related("application__organization").order_by("order"))
        problems = []
        if not items:
            problems.append(_("The agenda is empty; the meeting cannot be closed."))
        undecided = [i.application.full_name for i in items if i.decision == "pending"]
        if undecided:
            problems.append(
                _("No decision yet on these items: %(names)s")
                % {"names": punct("、").join(undecided)}
            )
        moved = [i.application.full_name for i in items if i.application.status != AWAITING]
        if moved:
            problems.append(
                _(
                    "These plans no longer await the meeting; take them off the agenda first: "
                    "%(names)s"
                )
                % {"names": punct("、").join(moved)}
            )
        if not meeting.minutes:
            problems.append(_("Upload the minutes first."))
        if problems:
            raise CentersError(problems)
        meeting.status = Meeting.Status.CLOSED
        meeting.closed_by = actor
        meeting.closed_at = timezone.now()
        meeting.save(update_fields=["status", "closed_by", "closed_at"])
        record(
            actor=actor,
            action="centers.meeting_closed",
            target=meeting,
            from_state=Meeting.Status.OPEN,
            to_state=Meeting.Status.CLOSED,
            data={
                "label": "结束会议并执行决定",
                "decisions": {str(i.application_id): i.decision for i in items},
            },
        )
        for item in items:
            app = item.application
            if item.decision == MeetingItem.Decision.REJECT:
                application_transition(
                    actor=actor,
                    application_id=app.pk,
                    transition="meeting_reject",
                    reason=item.reason,
                    expected_status=AWAITING,
                    data={"meeting": meeting.title},
                )
                continue
            approved = item.decision == MeetingItem.Decision.APPROVE
            label = "厅会议审议通过" if approved else "厅会议暂缓审议"
            data = {"label": label, "meeting": meeting.title}
            if item.reason:
                data["reason"] = item.reason
            record(
                actor=actor,
                action=f"centers.meeting_{item.decision}",
                target=app,
                from_state=app.status,
                to_state=app.status,
                data=data,
            )
            body = (
                f"「{app.full_name}」已经{meeting.title}审议通过，待省科技厅发布公示。"
                if approved
                else f"「{app.full_name}」在{meeting.title}上暂缓审议，将在以后的会议上继续审议。"
            )
            if item.reason:
                body += f"\n说明：{item.reason}"
            notify(recipients=applicant_users(app), subject=f"{label}：{app.full_name}", body=body)
    return meeting
