"""The write path of office meetings, publicity, objections and designation (DESIGN §2.3).

Every function is keyword-only with ``actor`` first, runs in one transaction,
locks the row it changes, writes the audit event in the same transaction and
queues notifications and PDF work on commit. State changes of the plan go
through ``applications.services.application_transition``.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.roles import APPLICANT, PROVINCIAL_OFFICER, group_name
from applications.models import Application
from applications.services import TransitionError, application_transition
from audit.services import record
from numbering import services as numbering
from numbering.models import CENTER

from . import rules
from .files import UploadRefused, check_upload
from .models import (
    OPEN_OBJECTION_STATUSES,
    Center,
    CenterName,
    Meeting,
    MeetingItem,
    Objection,
    ObjectionFile,
    ObjectionNote,
    PublicityItem,
    PublicityNotice,
)

log = logging.getLogger(__name__)

AWAITING = Application.Status.AWAITING_MEETING
PUBLICITY = Application.Status.PUBLICITY

DEFAULT_CONTACT = (
    "山西省科学技术厅（联系电话：0351-4043591；通信地址：山西省太原市迎泽区五一路58号，邮编030001）"
)
CENTER_NUMBER_PREFIX = "SXTIC"


class CentersError(Exception):
    """A refused action; ``messages`` are Chinese and shown to the user."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(str(m) for m in self.messages))


class ObjectionRefused(CentersError):
    """An objection that cannot be accepted (不予受理): late, anonymous, wrong plan."""


def _require_officer(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_role(PROVINCIAL_OFFICER):
        raise PermissionDenied("只有省科技厅工作人员可以执行此操作。")


def _officers():
    return list(
        get_user_model().objects.filter(groups__name=group_name(PROVINCIAL_OFFICER), is_active=True)
    )


def _applicants(app):
    return list(
        get_user_model().objects.filter(
            groups__name=group_name(APPLICANT), organization_id=app.organization_id, is_active=True
        )
    )


def _check(upload, label, error=None):
    try:
        check_upload(upload, label=label)
    except UploadRefused as exc:
        raise (error or CentersError)(str(exc)) from exc


def _notify(recipients, subject, body, link=""):
    from notifications.services import notify

    if recipients:
        notify(recipients=recipients, subject=subject, body=body, link=link)


def cn_date(day: dt.date) -> str:
    """2026年9月30日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


# --------------------------------------------------------------------------- meetings


def meeting_create(*, actor, title: str, held_on: dt.date) -> Meeting:
    _require_officer(actor)
    title = (title or "").strip()
    if not title:
        raise CentersError("请填写会议名称，例如“2026年第12次厅务会议”。")
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
        raise CentersError("该会议已结束，议题和决定不能再修改。")
    return meeting


def meeting_add_items(*, actor, meeting_id: int, application_ids) -> list[MeetingItem]:
    """Put plans awaiting the meeting on the agenda."""
    from .selectors import agenda_candidates

    _require_officer(actor)
    ids = sorted({int(pk) for pk in application_ids})
    if not ids:
        raise CentersError("请至少选择一个待审议的建设方案。")
    with transaction.atomic():
        meeting = _lock_open_meeting(meeting_id)
        allowed = set(agenda_candidates().filter(pk__in=ids).values_list("pk", flat=True))
        refused = [pk for pk in ids if pk not in allowed]
        if refused:
            names = "、".join(
                a.full_name for a in Application.objects.filter(pk__in=refused).order_by("pk")
            )
            raise CentersError(
                f"以下建设方案不在待厅会议审议状态、已在其他会议议程中或已审议通过：{names}"
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
    _require_officer(actor)
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
    _require_officer(actor)
    reason = (reason or "").strip()
    if decision not in (
        MeetingItem.Decision.APPROVE,
        MeetingItem.Decision.REJECT,
        MeetingItem.Decision.DEFER,
        MeetingItem.Decision.PENDING,
    ):
        raise CentersError("请选择会议决定：通过、不予通过或暂缓审议。")
    if decision == MeetingItem.Decision.REJECT and not reason:
        raise CentersError("不予通过的决定必须填写理由。")
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
    _require_officer(actor)
    _check(upload, "会议纪要")
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
    _require_officer(actor)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
        if not meeting.is_open:
            raise CentersError("该会议已由他人结束，请刷新页面后查看。")
        items = list(meeting.items.select_related("application__organization").order_by("order"))
        problems = []
        if not items:
            problems.append("会议议程为空，不能结束会议。")
        undecided = [i.application.full_name for i in items if i.decision == "pending"]
        if undecided:
            problems.append("以下议题尚未作出决定：" + "、".join(undecided))
        moved = [i.application.full_name for i in items if i.application.status != AWAITING]
        if moved:
            problems.append("以下建设方案已不在待厅会议审议状态，请先移出议程：" + "、".join(moved))
        if not meeting.minutes:
            problems.append("请先上传会议纪要。")
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
            _notify(_applicants(app), f"{label}：{app.full_name}", body)
    return meeting


# --------------------------------------------------------------------------- publicity


def publicity_period(start: dt.date) -> tuple[dt.date, dt.date]:
    """(start, end): five working days from the publication day. Raises CentersError naming
    the year when the calendar does not know it."""
    from workdays.services import UnknownCalendarYear, nth_working_day

    days = getattr(settings, "PUBLICITY_WORKING_DAYS", 5)
    try:
        return start, nth_working_day(start, days)
    except UnknownCalendarYear as exc:
        raise CentersError(
            f"公示期需要用到{exc.year}年的工作日历，但尚未录入{exc.year}年的节假日安排，"
            f"不能发布公示。（{exc}）"
        ) from exc


def default_notice_title(apps) -> str:
    apps = list(apps)
    if len(apps) == 1:
        return f"关于{apps[0].full_name}拟认定名单的公示"
    return f"关于{apps[0].full_name}等{len(apps)}家省技术创新中心拟认定名单的公示"


def publicity_publish(
    *,
    actor,
    application_ids,
    start: dt.date | None = None,
    title: str = "",
    contact: str = "",
) -> PublicityNotice:
    """Publish a notice for plans approved by a closed meeting; each plan enters ``publicity``."""
    _require_officer(actor)
    ids = sorted({int(pk) for pk in application_ids})
    if not ids:
        raise CentersError("请至少选择一个经厅会议审议通过的建设方案。")
    start = start or timezone.localdate()
    start, end = publicity_period(start)
    with transaction.atomic():
        apps = list(
            Application.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("organization", "industry_field")
            .order_by("pk")
        )
        problems = []
        for app in apps:
            if app.status != AWAITING or not rules.meeting_approved(app):
                problems.append(f"「{app.full_name}」未经厅会议审议通过或已不在待公示状态。")
            elif PublicityItem.objects.filter(application=app).exists():
                problems.append(f"「{app.full_name}」已经公示过。")
        if len(apps) != len(ids):
            problems.append("所选建设方案不存在。")
        if problems:
            raise CentersError(problems)
        notice = PublicityNotice.objects.create(
            title=(title or "").strip() or default_notice_title(apps),
            start_date=start,
            end_date=end,
            contact=(contact or "").strip() or DEFAULT_CONTACT,
            published_by=actor,
        )
        for order, app in enumerate(apps, start=1):
            PublicityItem.objects.create(
                notice=notice,
                application=app,
                order=order,
                center_name=app.full_name,
                lead_organization_name=app.organization.public_name,
                kind=app.kind,
                field_name=app.industry_field.name if app.industry_field_id else "",
            )
        period = f"{cn_date(start)}至{cn_date(end)}"
        record(
            actor=actor,
            action="centers.publicity_published",
            target=notice,
            data={"label": "发布公示", "period": period, "applications": ids},
        )
        for app in apps:
            application_transition(
                actor=actor,
                application_id=app.pk,
                transition="start_publicity",
                expected_status=AWAITING,
                reason=f"公示期：{period}",
                data={"notice": notice.title, "notice_id": notice.pk},
            )
    return notice


# --------------------------------------------------------------------------- objections


def _new_receipt(now: dt.datetime) -> str:
    day = rules.local_now(now).date()
    for _attempt in range(20):
        receipt = f"YY{day:%Y%m%d}{secrets.randbelow(10**6):06d}"
        if not Objection.objects.filter(receipt_number=receipt).exists():
            return receipt
    raise RuntimeError("could not allocate a receipt number")


def objection_submit(
    *,
    actor=None,
    item_id: int,
    data: dict,
    statement,
    evidence,
    now: dt.datetime | None = None,
    ip: str | None = None,
) -> Objection:
    """Accept a real-name written objection to a publicized plan during its period.

    ``data`` holds the cleaned form fields (objector_kind, name, organization,
    contact_person, phone, address, reasons). Raises ObjectionRefused when the
    period is over or the plan is no longer publicized.
    """
    now = now or timezone.now()
    evidence = list(evidence or [])
    required = ["objector_kind", "name", "phone", "address", "reasons"]
    if data.get("objector_kind") == Objection.ObjectorKind.PERSON:
        required.append("organization")
    else:
        required.append("contact_person")
    missing = [k for k in required if not str(data.get(k) or "").strip()]
    if missing or statement is None:
        raise ObjectionRefused(
            "异议须实名书面提出，请完整填写身份信息、理由并上传书面材料；匿名异议不予受理。"
        )
    if not evidence:
        raise ObjectionRefused("请上传证明材料。")
    _check(statement, "书面异议材料", ObjectionRefused)
    for upload in evidence:
        _check(upload, "证明材料", ObjectionRefused)
    with transaction.atomic():
        item = PublicityItem.objects.select_related("notice", "application").get(pk=item_id)
        app = Application.objects.select_for_update().get(pk=item.application_id)
        notice = item.notice
        if not rules.objection_window_open(notice, now):
            if rules.local_now(now).date() < notice.start_date:
                raise ObjectionRefused("公示尚未开始，暂不受理异议。")
            raise ObjectionRefused(
                f"公示期已于{cn_date(notice.end_date)}24时结束，逾期提出的异议不予受理。"
            )
        if app.status != PUBLICITY:
            raise ObjectionRefused("该建设方案已不在公示期内，不再受理异议。")
        objection = Objection(
            receipt_number=_new_receipt(now),
            item=item,
            objector_kind=data["objector_kind"],
            name=data["name"].strip(),
            organization=(data.get("organization") or "").strip(),
            contact_person=(data.get("contact_person") or "").strip(),
            phone=data["phone"].strip(),
            address=data["address"].strip(),
            reasons=data["reasons"].strip(),
            statement_name=statement.name[:200],
            submitted_at=now,
            client_ip=ip,
        )
        objection.statement.save(statement.name, statement, save=False)
        objection.save()
        for upload in evidence:
            evidence_file = ObjectionFile(
                objection=objection, name=upload.name[:200], size=upload.size
            )
            evidence_file.file.save(upload.name, upload, save=False)
            evidence_file.save()
        record(
            actor=None,
            action="centers.objection_received",
            target=objection,
            to_state=objection.status,
            data={"label": "收到异议", "application": app.full_name},
            ip=ip,
        )
        from django.urls import reverse

        _notify(
            _officers(),
            f"收到异议：{app.full_name}",
            f"公示「{notice.title}」收到一件异议（回执号 {objection.receipt_number}），请及时调查处理。"
            "异议处理完毕前该方案暂不认定。",
            reverse("centers:objection_detail", args=[objection.pk]),
        )
    return objection


def _lock_open_objection(objection_id: int) -> Objection:
    objection = Objection.objects.select_for_update().get(pk=objection_id)
    if not objection.is_open:
        raise CentersError(f"该异议已处理（{objection.get_status_display()}），请刷新页面后查看。")
    return objection


def objection_add_note(*, actor, objection_id: int, text: str) -> ObjectionNote:
    _require_officer(actor)
    text = (text or "").strip()
    if not text:
        raise CentersError("请填写调查核实情况。")
    with transaction.atomic():
        objection = _lock_open_objection(objection_id)
        note = ObjectionNote.objects.create(objection=objection, text=text, author=actor)
        from_state = objection.status
        if objection.status == Objection.Status.RECEIVED:
            objection.status = Objection.Status.INVESTIGATING
            objection.save(update_fields=["status"])
        record(
            actor=actor,
            action="centers.objection_note",
            target=objection,
            from_state=from_state,
            to_state=objection.status,
            data={"label": "记录调查情况"},
        )
    return note


def objection_dismiss(*, actor, objection_id: int, reason: str) -> Objection:
    """The objection is not upheld; designation of the plan may go on."""
    return _objection_resolve(
        actor=actor, objection_id=objection_id, reason=reason, status=Objection.Status.DISMISSED
    )


def objection_uphold(*, actor, objection_id: int, reason: str) -> Objection:
    """The objection is upheld: the plan is rejected (objection_upheld)."""
    return _objection_resolve(
        actor=actor, objection_id=objection_id, reason=reason, status=Objection.Status.UPHELD
    )


def _objection_resolve(*, actor, objection_id: int, reason: str, status: str) -> Objection:
    _require_officer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CentersError("请填写处理意见（异议是否成立的理由）。")
    with transaction.atomic():
        objection = Objection.objects.select_related("item").get(pk=objection_id)
        app = Application.objects.select_for_update().get(pk=objection.item.application_id)
        objection = _lock_open_objection(objection_id)
        if status == Objection.Status.UPHELD and app.status != PUBLICITY:
            raise CentersError("该建设方案已不在公示状态，不能再认定异议成立。")
        from_state = objection.status
        objection.status = status
        objection.resolution = reason
        objection.resolved_by = actor
        objection.resolved_at = timezone.now()
        objection.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
        upheld = status == Objection.Status.UPHELD
        record(
            actor=actor,
            action="centers.objection_upheld" if upheld else "centers.objection_dismissed",
            target=objection,
            from_state=from_state,
            to_state=status,
            data={"label": "异议成立" if upheld else "异议不成立", "reason": reason},
        )
        if upheld:
            application_transition(
                actor=actor,
                application_id=app.pk,
                transition="objection_upheld",
                reason=reason,
                expected_status=PUBLICITY,
                data={"objection": objection.receipt_number},
            )
            others = Objection.objects.select_for_update().filter(
                item__application_id=app.pk, status__in=OPEN_OBJECTION_STATUSES
            )
            for other in others:
                other.status = Objection.Status.MOOT
                other.resolution = f"另一件异议（{objection.receipt_number}）成立，该方案不予认定。"
                other.resolved_by = actor
                other.resolved_at = objection.resolved_at
                other.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
                record(
                    actor=actor,
                    action="centers.objection_moot",
                    target=other,
                    to_state=other.status,
                    data={"label": "方案不予认定，异议办结"},
                )
    return objection


# --------------------------------------------------------------------------- designation


def next_center_number(year: int) -> str:
    """SXTIC-2026-001, sequential per year; the year's counter row is locked (race-safe)."""
    return f"{CENTER_NUMBER_PREFIX}-{year}-{numbering.take(CENTER, year):03d}"


def _last_version(app):
    versions = getattr(app, "versions", None)
    if versions is None:
        return None
    return versions.order_by("-number").first()


def center_profile_from_plan(plan: dict) -> dict:
    """Split the plan sections into the center's columns (see the plan JSON schema)."""
    plan = plan or {}
    return {
        "cobuilders": list((plan.get("cobuilders") or {}).get("items") or []),
        "director": dict(plan.get("director") or {}),
        "targets": list((plan.get("targets") or {}).get("items") or []),
        "profile": {
            key: plan.get(key)
            for key in ("lead", "governance", "investment", "facilities", "team")
            if plan.get(key)
        },
    }


def _issue_notice_on_commit(center_id: int) -> None:
    try:
        from documents.tasks import issue_designation_notice
    except ImportError:  # the documents work is not there yet
        log.warning("documents.tasks.issue_designation_notice missing; no notice for %s", center_id)
        return
    transaction.on_commit(lambda: issue_designation_notice.delay(center_id))


def designate(*, actor=None, application_id: int, now: dt.datetime | None = None) -> Center:
    """Designate a plan whose publicity is over with no open objection; create its Center.

    Idempotent: the application row is locked first, and if a Center already
    exists it is returned unchanged (two task runs, or the task and an
    officer's button at once, designate once). ``actor=None`` is the system.
    """
    if actor is not None:
        _require_officer(actor)
    with transaction.atomic():
        app = (
            Application.objects.select_for_update(of=("self",))
            .select_related("organization__registered_city", "industry_field", "department")
            .get(pk=application_id)
        )
        existing = Center.objects.filter(application_id=app.pk).first()
        if existing is not None:
            existing.already_designated = True  # the caller may tell its user so
            return existing
        if app.status == PUBLICITY and not rules.publicity_over_no_open_objection(app, now):
            raise TransitionError("公示期未结束或仍有未处理的异议，暂不能认定。")
        application_transition(
            actor=actor,
            application_id=app.pk,
            transition="designate",
            expected_status=PUBLICITY,
        )
        version = _last_version(app)
        plan = version.data.get("plan", {}) if version is not None else (app.plan or {})
        today = rules.local_now(now).date()
        parts = center_profile_from_plan(plan)
        org = app.organization
        center = Center.objects.create(
            application=app,
            number=next_center_number(today.year),
            name=app.full_name,
            kind=app.kind,
            industry_field=app.industry_field,
            lead_organization=org,
            department=app.department,
            city=org.registered_city,
            plan_version=version.number if version is not None else None,
            designated_on=today,
            **parts,
        )
        center.strategic_areas.set(app.strategic_areas.all())
        CenterName.objects.create(center=center, name=center.name, valid_from=today, note="认定")
        record(
            actor=actor,
            action="centers.center_designated",
            target=center,
            to_state=center.status,
            data={
                "label": "认定为省技术创新中心",
                "number": center.number,
                "application": app.number or app.pk,
                "by": "system" if actor is None else "officer",
            },
        )
        _issue_notice_on_commit(center.pk)
    return center


def designate_due(*, now: dt.datetime | None = None) -> list[Center]:
    """Designate every plan whose publicity is over with no open objection (the beat task)."""
    from .selectors import designation_due

    centers = []
    for app_id in designation_due(now=now).values_list("pk", flat=True):
        try:
            centers.append(designate(actor=None, application_id=app_id, now=now))
        except TransitionError as exc:  # changed meanwhile (objection filed, withdrawn...)
            log.info("application %s not designated: %s", app_id, exc)
    return centers
