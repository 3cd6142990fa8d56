"""Demo data of the meeting / publicity / designation steps. Idempotent.

After ``seed_demo`` the officer finds:

- 「山西省煤机智能制造技术创新中心」 awaiting the office meeting, on the agenda of the open
  「2026年第12次厅务会议」 (decide it, upload minutes, close the meeting);
- 「山西省大数据技术创新中心」 in a current publicity notice (the public can object);
- 「山西省特种金属材料技术创新中心」 designated, in the public registry.

Plans are built with the applications demo helper and moved through the real write path
(submit, department approval, re-check). The expert-review steps belong to the reviews app;
when its rules are not satisfied by demo data, the plan is moved to ``awaiting_meeting`` with
an audit event saying so. From the meeting on, everything goes through centers.services.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from applications.models import Application
from applications.services import application_transition
from centers.services.common import CentersError

from . import demo_center, demo_changes
from .models import Meeting, MeetingItem, PublicityItem
from .services import designation, meetings, publicity

OPEN_MEETING = "2026年第12次厅务会议"
CLOSED_MEETING = "2026年第11次厅务会议"
MINUTES_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


def _say(ctx, text):
    out = ctx.get("stdout")
    if out is not None:
        out.write(f"  centers: {text}")


def _plan(ctx, *, applicant, reviewer, officer, name):
    """The demo plan ``name`` of the applicant's organization, brought to awaiting_meeting."""
    from applications.testing import DEMO_PLAN_FIELDS, make_complete_plan

    org = applicant.organization
    app = Application.objects.filter(organization=org, name=name).first()
    if app is None:
        app = make_complete_plan(
            org, applicant, name=name, kind="domain", industry_field=DEMO_PLAN_FIELDS.get(name)
        )
    steps = {
        "draft": ("submit", applicant, ""),
        "dept_review": ("approve", reviewer, "材料齐全，符合申报条件，同意推荐。"),
        "province_recheck": ("pass_recheck", officer, "复核通过。"),
    }
    for _step in range(len(steps)):
        app.refresh_from_db()
        if app.status not in steps:
            break
        transition, actor, reason = steps[app.status]
        application_transition(
            actor=actor, application_id=app.pk, transition=transition, reason=reason
        )
    app.refresh_from_db()
    if app.status in (Application.Status.EXPERT_REVIEW, Application.Status.IMPROVING):
        from reviews.demo import run_review

        run_review(application_id=app.pk, officer=officer, applicant=applicant, seed=app.pk)
        app.refresh_from_db()
    return app


def _minutes():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("会议纪要.pdf", MINUTES_PDF, content_type="application/pdf")


def _approve_in_closed_meeting(officer, apps):
    pending = [a for a in apps if a.status == "awaiting_meeting"]
    from .rules import meeting_approved

    pending = [a for a in pending if not meeting_approved(a)]
    if not pending:
        return
    meeting = Meeting.objects.filter(title=CLOSED_MEETING, status=Meeting.Status.OPEN).first()
    if meeting is None:
        meeting = meetings.meeting_create(
            actor=officer,
            title=CLOSED_MEETING,
            held_on=timezone.localdate() - dt.timedelta(days=40),
        )
    on_agenda = set(meeting.items.values_list("application_id", flat=True))
    new = [a.pk for a in pending if a.pk not in on_agenda]
    if new:
        meetings.meeting_add_items(actor=officer, meeting_id=meeting.pk, application_ids=new)
    for item in meeting.items.all():
        meetings.meeting_stage_decision(
            actor=officer, item_id=item.pk, decision=MeetingItem.Decision.APPROVE
        )
    if not meeting.minutes:
        meetings.meeting_upload_minutes(actor=officer, meeting_id=meeting.pk, upload=_minutes())
    meetings.meeting_close(actor=officer, meeting_id=meeting.pk)


def _publish(officer, app, start):
    if PublicityItem.objects.filter(application=app).exists() or app.status != "awaiting_meeting":
        return
    publicity.publicity_publish(actor=officer, application_ids=[app.pk], start=start)


def seed(ctx):
    users = ctx.get("users") or {}
    needed = ("applicant", "applicant2", "reviewer_ty", "reviewer_dt", "officer")
    if any(name not in users for name in needed):
        _say(ctx, "demo users missing; nothing seeded\n")
        return
    officer = users["officer"]
    try:
        waiting = _plan(
            ctx,
            applicant=users["applicant2"],
            reviewer=users["reviewer_dt"],
            officer=officer,
            name="煤机智能制造",
        )
        current = _plan(
            ctx,
            applicant=users["applicant"],
            reviewer=users["reviewer_ty"],
            officer=officer,
            name="大数据",
        )
        done = _plan(
            ctx,
            applicant=users["applicant"],
            reviewer=users["reviewer_ty"],
            officer=officer,
            name="特种金属材料",
        )
    except Exception as exc:  # the applications demo helpers are not complete yet
        _say(ctx, f"could not build demo plans ({exc}); nothing seeded\n")
        return

    # the designated center and the current notice: approved by a closed meeting
    _approve_in_closed_meeting(officer, [current, done])
    today = timezone.localdate()
    done.refresh_from_db()
    _publish(officer, done, today - dt.timedelta(days=30))
    done.refresh_from_db()
    if done.status == "publicity":
        designation.designate(actor=None, application_id=done.pk)
    done.refresh_from_db()
    demo_center.seed(ctx, getattr(done, "center", None))  # profile, annual reports
    demo_changes.seed(ctx, getattr(done, "center", None))  # a rename in the province's queue
    current.refresh_from_db()
    try:
        _publish(officer, current, today)
    except CentersError as exc:  # calendar does not know a year of the period
        _say(ctx, f"current notice not published: {exc}\n")

    # the open meeting with the plan awaiting it
    waiting.refresh_from_db()
    meeting = Meeting.objects.filter(title=OPEN_MEETING).first()
    if meeting is None:
        meeting = meetings.meeting_create(actor=officer, title=OPEN_MEETING, held_on=today)
    if (
        meeting.is_open
        and waiting.status == "awaiting_meeting"
        and not MeetingItem.objects.filter(application=waiting, meeting__status="open").exists()
    ):
        meetings.meeting_add_items(
            actor=officer, meeting_id=meeting.pk, application_ids=[waiting.pk]
        )
