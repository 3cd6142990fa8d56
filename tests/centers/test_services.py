"""Office meeting, publicity, objections and designation through the services."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied

from applications.models import Application
from applications.services import TransitionError, application_transition
from audit.models import AuditEvent
from centers import rules
from centers.models import Center, MeetingItem, Objection
from centers.services import designation, meetings, objections, publicity
from centers.services.common import CentersError, ObjectionRefused
from tests.factories import applicant, reviewer

from .factories import (
    approved_plan,
    close_meeting,
    file_objection,
    pdf_upload,
    plan_awaiting_meeting,
    publicized_plan,
)

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(y, m, d, hh=12, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=SH)


# --------------------------------------------------------------------------- meetings


def test_closing_a_meeting_applies_all_decisions_together(officer):
    approve = plan_awaiting_meeting(name="半导体")
    reject = plan_awaiting_meeting(name="煤机智能")
    defer = plan_awaiting_meeting(name="轨道交通")

    close_meeting(officer, {approve: "approve", reject: "reject", defer: "defer"})

    for app in (approve, reject, defer):
        app.refresh_from_db()
    assert approve.status == "awaiting_meeting" and rules.meeting_approved(approve)
    assert reject.status == "rejected" and reject.last_reason == "不符合条件"
    assert defer.status == "awaiting_meeting" and not rules.meeting_approved(defer)
    assert AuditEvent.objects.filter(action="application.meeting_reject").count() == 1
    assert AuditEvent.objects.filter(action="centers.meeting_approve").count() == 1
    # the deferred plan can go on a later agenda; the approved one cannot
    from centers.selectors import agenda_candidates

    assert list(agenda_candidates()) == [defer]


def test_staged_decisions_change_nothing_until_the_meeting_closes(officer):
    app = plan_awaiting_meeting()
    meeting = meetings.meeting_create(
        actor=officer, title="2026年第12次厅务会议", held_on=dt.date(2026, 9, 1)
    )
    [item] = meetings.meeting_add_items(
        actor=officer, meeting_id=meeting.pk, application_ids=[app.pk]
    )
    meetings.meeting_stage_decision(actor=officer, item_id=item.pk, decision="approve")
    assert not rules.meeting_approved(app)
    with pytest.raises(TransitionError):
        application_transition(actor=officer, application_id=app.pk, transition="start_publicity")


def test_meeting_close_refuses_undecided_items_and_missing_minutes(officer):
    app = plan_awaiting_meeting()
    meeting = meetings.meeting_create(
        actor=officer, title="2026年第13次厅务会议", held_on=dt.date(2026, 9, 1)
    )
    meetings.meeting_add_items(actor=officer, meeting_id=meeting.pk, application_ids=[app.pk])
    with pytest.raises(CentersError) as exc:
        meetings.meeting_close(actor=officer, meeting_id=meeting.pk)
    text = "".join(exc.value.messages)
    assert "尚未作出决定" in text and app.full_name in text and "会议纪要" in text


def test_reject_needs_a_reason_and_closed_meeting_is_frozen(officer):
    app = plan_awaiting_meeting()
    meeting = meetings.meeting_create(
        actor=officer, title="2026年第14次厅务会议", held_on=dt.date(2026, 9, 1)
    )
    [item] = meetings.meeting_add_items(
        actor=officer, meeting_id=meeting.pk, application_ids=[app.pk]
    )
    with pytest.raises(CentersError, match="理由"):
        meetings.meeting_stage_decision(actor=officer, item_id=item.pk, decision="reject")
    meetings.meeting_stage_decision(actor=officer, item_id=item.pk, decision="defer")
    meetings.meeting_upload_minutes(actor=officer, meeting_id=meeting.pk, upload=pdf_upload())
    meetings.meeting_close(actor=officer, meeting_id=meeting.pk)
    with pytest.raises(CentersError, match="已由他人结束"):
        meetings.meeting_close(actor=officer, meeting_id=meeting.pk)
    with pytest.raises(CentersError, match="已结束"):
        meetings.meeting_stage_decision(actor=officer, item_id=item.pk, decision="approve")


def test_only_officers_run_meetings(db):
    app = plan_awaiting_meeting()
    for user in (applicant(app.organization), reviewer()):
        with pytest.raises(PermissionDenied):
            meetings.meeting_create(actor=user, title="x", held_on=dt.date(2026, 9, 1))


def test_minutes_must_be_a_real_pdf_or_image(officer):
    meeting = meetings.meeting_create(actor=officer, title="会", held_on=dt.date(2026, 9, 1))
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("纪要.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(CentersError, match="不是 PDF"):
        meetings.meeting_upload_minutes(actor=officer, meeting_id=meeting.pk, upload=fake)


# --------------------------------------------------------------------------- publicity


def test_publish_on_2026_09_30_ends_on_2026_10_12(officer):
    app = approved_plan(actor=officer, name="半导体")
    notice = publicity.publicity_publish(
        actor=officer, application_ids=[app.pk], start=dt.date(2026, 9, 30)
    )
    app.refresh_from_db()
    assert app.status == "publicity"
    assert (notice.start_date, notice.end_date) == (dt.date(2026, 9, 30), dt.date(2026, 10, 12))
    assert notice.title == "关于山西省半导体技术创新中心拟认定名单的公示"
    [item] = notice.items.all()
    assert item.lead_organization_name == app.organization.name
    assert item.field_name == "炭基新材料"


def test_publish_refused_when_the_calendar_does_not_know_the_year(officer):
    app = approved_plan(actor=officer)
    with pytest.raises(CentersError) as exc:
        publicity.publicity_publish(
            actor=officer, application_ids=[app.pk], start=dt.date(2026, 12, 28)
        )
    assert "2027年" in exc.value.messages[0]
    app.refresh_from_db()
    assert app.status == "awaiting_meeting"
    assert not app.__class__.objects.filter(publicity_item__isnull=False).exists()


def test_publish_refuses_plans_not_approved_by_a_meeting(officer):
    app = plan_awaiting_meeting()
    with pytest.raises(CentersError, match="未经厅会议审议通过"):
        publicity.publicity_publish(
            actor=officer, application_ids=[app.pk], start=dt.date(2026, 9, 30)
        )


def test_one_notice_for_several_plans(officer):
    a = approved_plan(actor=officer, name="半导体")
    b = approved_plan(actor=officer, name="大数据")
    notice = publicity.publicity_publish(
        actor=officer, application_ids=[a.pk, b.pk], start=dt.date(2026, 9, 30)
    )
    assert notice.items.count() == 2
    assert "等2家" in notice.title


# --------------------------------------------------------------------------- objections


def test_objection_window_closes_at_midnight_shanghai(officer):
    app, notice = publicized_plan(actor=officer)
    accepted = file_objection(app, now=at(2026, 10, 12, 23, 59, 59))
    assert accepted.receipt_number.startswith("YY20261012")
    with pytest.raises(ObjectionRefused, match="2026年10月12日24时结束"):
        file_objection(app, now=at(2026, 10, 13, 0, 0, 0))
    # UTC 2026-10-12 16:00 is already 10-13 00:00 in Shanghai
    with pytest.raises(ObjectionRefused):
        file_objection(app, now=dt.datetime(2026, 10, 12, 16, 0, tzinfo=dt.UTC))
    assert Objection.objects.count() == 1


def test_anonymous_objection_is_refused(officer):
    app, _notice = publicized_plan(actor=officer)
    with pytest.raises(ObjectionRefused, match="匿名"):
        file_objection(app, now=at(2026, 10, 1), name="")


def test_open_objection_holds_designation_dismiss_lets_it_go_on(officer):
    app, _notice = publicized_plan(actor=officer)
    objection = file_objection(app, now=at(2026, 10, 9))
    assert not rules.publicity_over_no_open_objection(app)
    assert designation.designate_due() == []
    objections.objection_add_note(
        actor=officer, objection_id=objection.pk, text="已约谈牵头单位核实专利权属。"
    )
    objection.refresh_from_db()
    assert objection.status == "investigating"

    objections.objection_dismiss(
        actor=officer, objection_id=objection.pk, reason="专利权属清楚，异议不成立。"
    )

    [center] = designation.designate_due()
    app.refresh_from_db()
    assert app.status == "designated"
    assert center.application == app


def test_upholding_an_objection_rejects_the_plan(officer):
    app, _notice = publicized_plan(actor=officer)
    first = file_objection(app, now=at(2026, 10, 9))
    second = file_objection(app, now=at(2026, 10, 10), name="王实名", phone="13900005678")
    objections.objection_uphold(
        actor=officer, objection_id=first.pk, reason="经核实专利不属于牵头单位。"
    )
    app.refresh_from_db()
    second.refresh_from_db()
    assert app.status == "rejected"
    assert app.last_reason == "经核实专利不属于牵头单位。"
    assert second.status == "moot"
    assert designation.designate_due() == []
    with pytest.raises(CentersError, match="已处理"):
        objections.objection_dismiss(actor=officer, objection_id=first.pk, reason="x")


def test_objection_resolution_needs_a_reason_and_an_officer(officer):
    app, _notice = publicized_plan(actor=officer)
    objection = file_objection(app, now=at(2026, 10, 9))
    with pytest.raises(CentersError, match="处理意见"):
        objections.objection_dismiss(actor=officer, objection_id=objection.pk, reason=" ")
    with pytest.raises(PermissionDenied):
        objections.objection_uphold(
            actor=applicant(app.organization), objection_id=objection.pk, reason="x"
        )


# --------------------------------------------------------------------------- designation


def test_designation_creates_the_center_from_the_last_version(officer):
    app, _notice = publicized_plan(actor=officer, name="半导体")
    # the applicant edits the live plan afterwards: the center takes the frozen version
    Application.objects.filter(pk=app.pk).update(plan={"director": {"name": "改过的"}})

    center = designation.designate(actor=None, application_id=app.pk)

    assert center.name == "山西省半导体技术创新中心"
    assert center.number == f"SXTIC-{center.designated_on.year}-001"
    assert center.kind == "domain" and center.industry_field.code == "F02"
    assert center.lead_organization == app.organization
    assert center.director["name"] == "李正高"
    assert center.cobuilders[0]["name"] == "山西共建大学"
    assert center.targets[0]["key"] == "patents"
    assert center.plan_version == 1
    assert center.names.get().name == center.name
    assert AuditEvent.objects.filter(action="application.designate", actor=None).count() == 1


def test_designation_is_idempotent_and_numbers_are_sequential(officer):
    a, _ = publicized_plan(actor=officer, name="半导体")
    b, _ = publicized_plan(actor=officer, name="大数据")
    first = designation.designate_due()
    second = designation.designate_due()
    assert len(first) == 2 and second == []
    again = designation.designate(actor=officer, application_id=a.pk)
    assert again == Center.objects.get(application=a)
    assert Center.objects.count() == 2
    year = first[0].designated_on.year
    assert sorted(c.number for c in Center.objects.all()) == [
        f"SXTIC-{year}-001",
        f"SXTIC-{year}-002",
    ]
    assert AuditEvent.objects.filter(action="application.designate").count() == 2


def test_button_after_the_task_with_stale_state_designates_once(officer):
    """The officer's page was loaded while the plan was in publicity; the task designated it
    meanwhile; the button then returns the existing center instead of a second one."""
    app, _ = publicized_plan(actor=officer)
    stale = Application.objects.get(pk=app.pk)
    assert stale.status == "publicity"
    task_center = designation.designate_due()[0]
    button_center = designation.designate(actor=officer, application_id=stale.pk)
    assert button_center.pk == task_center.pk
    assert Center.objects.count() == 1


def test_designation_waits_for_the_period(officer, calendar_known_ahead):
    today = rules.local_now().date()
    app, notice = publicized_plan(actor=officer, start=today)
    assert notice.end_date >= today
    with pytest.raises(TransitionError, match="公示期未结束"):
        designation.designate(actor=officer, application_id=app.pk)
    assert designation.designate_due() == []


def test_designation_queues_the_notice_on_commit(
    officer, django_capture_on_commit_callbacks, monkeypatch
):
    from documents import tasks

    queued = []
    monkeypatch.setattr(tasks.issue_designation_notice, "delay", queued.append)
    app, _ = publicized_plan(actor=officer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        center = designation.designate(actor=None, application_id=app.pk)
    assert queued == []  # nothing is queued before the commit
    for callback in callbacks:
        callback()
    assert queued == [center.pk]


def test_rules_answer_for_unrelated_plans(db):
    app = plan_awaiting_meeting()
    assert not rules.meeting_approved(app)
    assert not rules.meeting_rejected(app)
    assert not rules.publicity_over_no_open_objection(app)
    assert not rules.objection_upheld_exists(app)


def test_meeting_item_decisions_enum():
    assert set(MeetingItem.Decision.values) == {"pending", "approve", "reject", "defer"}
