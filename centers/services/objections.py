"""Objections during publicity (异议, Art. 9(3)): receipt, notes, dismissal, upholding."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import require_officer
from applications.models import Application
from applications.services import application_transition
from audit.services import record
from centers import rules
from centers.models import (
    OPEN_OBJECTION_STATUSES,
    Objection,
    ObjectionFile,
    ObjectionNote,
    PublicityItem,
)
from centers.services.common import (
    PUBLICITY,
    CentersError,
    ObjectionRefused,
    check_file,
    officer_users,
)
from documents.languages import local_date
from notifications.services import notify


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
            _(
                "An objection must be made in writing under a real name: fill in the identity "
                "details and the reasons and upload the written statement; anonymous objections "
                "are not accepted."
            )
        )
    if not evidence:
        raise ObjectionRefused(_("Upload the evidence files."))
    check_file(statement, _("Written objection"), ObjectionRefused)
    for upload in evidence:
        check_file(upload, _("Evidence files"), ObjectionRefused)
    with transaction.atomic():
        item = PublicityItem.objects.select_related("notice", "application").get(pk=item_id)
        app = Application.objects.select_for_update().get(pk=item.application_id)
        notice = item.notice
        if not rules.objection_window_open(notice, now):
            if rules.local_now(now).date() < notice.start_date:
                raise ObjectionRefused(
                    _("The publicity has not started; objections are not accepted yet.")
                )
            raise ObjectionRefused(
                _(
                    "The publicity period ended at midnight on %(day)s; late objections are not "
                    "accepted."
                )
                % {"day": local_date(notice.end_date)}
            )
        if app.status != PUBLICITY:
            raise ObjectionRefused(
                _("This plan is no longer under publicity; objections are no longer accepted.")
            )
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

        notify(
            recipients=officer_users(),
            subject=f"收到异议：{app.full_name}",
            body=f"公示「{notice.title}」收到一件异议（回执号 {objection.receipt_number}），请及时调查处理。"
            "异议处理完毕前该方案暂不认定。",
            link=reverse("centers:objection_detail", args=[objection.pk]),
        )
    return objection


def _lock_open_objection(objection_id: int) -> Objection:
    objection = Objection.objects.select_for_update().get(pk=objection_id)
    if not objection.is_open:
        raise CentersError(
            _("This objection has been dealt with (%(status)s); reload the page to see it.")
            % {"status": objection.get_status_display()}
        )
    return objection


def objection_add_note(*, actor, objection_id: int, text: str) -> ObjectionNote:
    require_officer(actor)
    text = (text or "").strip()
    if not text:
        raise CentersError(_("Fill in the findings of the investigation."))
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
    require_officer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CentersError(
            _("Fill in the decision (the reasons why the objection is or is not upheld).")
        )
    with transaction.atomic():
        objection = Objection.objects.select_related("item").get(pk=objection_id)
        app = Application.objects.select_for_update().get(pk=objection.item.application_id)
        objection = _lock_open_objection(objection_id)
        if status == Objection.Status.UPHELD and app.status != PUBLICITY:
            raise CentersError(
                _("This plan is no longer under publicity; the objection can no longer be upheld.")
            )
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
