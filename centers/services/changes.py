"""Change requests of designated centers (重大事项变更, Art. 15): the one write path.

The lead organization files a written request (draft → submitted); its organizing
department approves (to the province), returns or rejects it; the provincial S&T
department approves or rejects it. On approval the change applies to the center in the
same transaction and is kept in ``CenterChange`` with the old and the new values; a rename
or reorganization is answered by a numbered approval document (批复), issued once after
the commit. Every step locks the request row, checks the actor through the transition's
``permission=``, writes the audit event in the same transaction and notifies on commit.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from audit.services import record
from centers.models import Center
from centers.models_changes import (
    CenterChangeRequest,
    ChangeAttachment,
    ChangeKind,
    ChangeStatus,
    is_center_staff,
)
from centers.services.change_apply import (  # noqa: F401 - re-exported for the views
    DOCUMENTED,
    apply_change,
    cobuilder_names,
    current_values,
    institution_names,
    requested_values,
)
from centers.services.common import (
    CentersError,
    center_staff,
    check_file,
    department_reviewers,
    officer_users,
)
from documents.languages import in_chinese
from notifications.services import notify

Kind = ChangeKind
Status = ChangeStatus

CENTER_NAME_RE = re.compile(r"^山西省(?P<core>[^\s]{2,40})技术创新中心$")
MAX_ATTACHMENTS = 10

#: (status now, decision) -> transition
DECISIONS = {
    (Status.DEPT_REVIEW, "approve"): "dept_approve",
    (Status.DEPT_REVIEW, "return"): "dept_return",
    (Status.DEPT_REVIEW, "reject"): "dept_reject",
    (Status.PROVINCE_REVIEW, "approve"): "approve",
    (Status.PROVINCE_REVIEW, "reject"): "reject",
}


class ChangeError(CentersError):
    """A change request refused as asked (Chinese messages for the user)."""


def status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def validate_center_name(name: str, *, center: Center) -> str:
    """A new name in the form 「山西省××技术创新中心」, different from every current name."""
    name = (name or "").strip()
    if not name:
        raise ChangeError(_("Fill in the new name of the center."))
    core = CENTER_NAME_RE.match(name)
    if core is None or core.group("core").startswith("省") or "技术创新中心" in core.group("core"):
        raise ChangeError(
            _(
                "The center name “%(name)s” does not follow the rule: it must read "
                "「山西省××技术创新中心」 (×× the field or direction, at least two characters, "
                "no spaces)."
            )
            % {"name": name}
        )
    if name == center.name:
        raise ChangeError(_("The new name is the same as the current name."))
    if Center.objects.exclude(pk=center.pk).filter(name=name).exists():
        raise ChangeError(
            _("“%(name)s” is already the name of another provincial technology innovation center.")
            % {"name": name}
        )
    return name


def _names(lines) -> list[str]:
    if isinstance(lines, str):
        lines = lines.splitlines()
    seen, result = set(), []
    for line in lines or []:
        name = str(line).strip()
        if name and name not in seen:
            seen.add(name)
            result.append(name)
    return result


def _clean(center: Center, kind: str, data: dict) -> dict:
    """The request's fields for ``kind``; the other kinds' fields are emptied."""
    if kind not in Kind.values:
        raise ChangeError(_("Choose the kind of change."))
    reasons = (data.get("reasons") or "").strip()
    errors = []
    if len(reasons) < 10:
        errors.append(_("Give the reasons for the change (at least 10 characters)."))
    cleaned = {
        "reasons": reasons,
        "description": (data.get("description") or "").strip(),
        "new_name": "",
        "new_direction": "",
        "new_cobuilders": [],
        "new_institutions": [],
    }
    if kind == Kind.RENAME:
        try:
            cleaned["new_name"] = validate_center_name(data.get("new_name", ""), center=center)
        except ChangeError as exc:
            errors.extend(exc.messages)
    elif kind == Kind.DIRECTION:
        cleaned["new_direction"] = (data.get("new_direction") or "").strip()
        if not cleaned["new_direction"]:
            errors.append(_("Fill in the new main research direction."))
        elif cleaned["new_direction"] == (center.main_direction or "").strip():
            errors.append(_("The new main research direction is the same as the current one."))
    elif kind == Kind.REORGANIZATION:
        cleaned["new_cobuilders"] = _names(data.get("new_cobuilders"))
        cleaned["new_institutions"] = _names(data.get("new_institutions"))
        unchanged = cleaned["new_cobuilders"] == cobuilder_names(center) and cleaned[
            "new_institutions"
        ] == institution_names(center)
        if unchanged and not cleaned["description"]:
            errors.append(
                _(
                    "Fill in the co-builders or specialized R&D institutions after the change, or "
                    "describe the merger or reorganization."
                )
            )
    elif not cleaned["description"]:
        errors.append(_("Describe what changes."))
    if errors:
        raise ChangeError(errors)
    return cleaned


def link(request_id: int) -> str:
    return reverse("centers:change_detail", args=[request_id])


def _notify_on_commit(recipients, subject, body, request_id):
    transaction.on_commit(
        lambda: notify(recipients=recipients, subject=subject, body=body, link=link(request_id))
    )


def _lock(request_id: int) -> CenterChangeRequest:
    try:
        return (
            CenterChangeRequest.objects.select_for_update(of=("self",))
            .select_related("center")
            .get(pk=request_id)
        )
    except CenterChangeRequest.DoesNotExist as exc:
        raise ChangeError(_("There is no such change request.")) from exc


def _save_attachments(request, attachments, actor) -> list[str]:
    attachments = [a for a in attachments or [] if a]
    if request.attachments.count() + len(attachments) > MAX_ATTACHMENTS:
        raise ChangeError(
            _("At most %(count)s attachments per change request.") % {"count": MAX_ATTACHMENTS}
        )
    for upload in attachments:
        check_file(upload, _("Attachment"), ChangeError)
    names = []
    for upload in attachments:
        name = (getattr(upload, "name", "") or "附件")[:200]
        ChangeAttachment.objects.create(
            request=request, file=upload, name=name, size=upload.size, uploaded_by=actor
        )
        names.append(name)
    return names


def _open_exists(center_id, kind, exclude_pk=None) -> bool:
    qs = CenterChangeRequest.objects.filter(
        center_id=center_id, kind=kind, status__in=[s.value for s in _open()]
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def _open():
    from centers.models_changes import OPEN_CHANGE_STATUSES

    return OPEN_CHANGE_STATUSES


def _one_open(kind) -> str:
    return _("This center already has an open “%(kind)s” request; carry on with that request.") % {
        "kind": Kind(kind).label
    }


def change_request_create(
    *, actor, center_id: int, kind: str, data: dict, attachments=()
) -> CenterChangeRequest:
    """File a new request as a draft (the center's staff only; one open request per kind)."""
    with transaction.atomic():
        center = Center.objects.select_for_update().filter(pk=center_id).first()
        if center is None:
            raise ChangeError(_("There is no such center."))
        probe = CenterChangeRequest(center=center, kind=kind)
        if not is_center_staff(probe, actor):
            raise PermissionDenied(
                _("Only the staff of the center's lead organization can request a change.")
            )
        if center.status == Center.Status.REVOKED:
            raise ChangeError(_("This center is revoked; it can no longer request changes."))
        cleaned = _clean(center, kind, data)
        if _open_exists(center.pk, kind):
            raise ChangeError(_one_open(kind))
        try:
            with transaction.atomic():
                request = CenterChangeRequest.objects.create(
                    center=center, kind=kind, created_by=actor, **cleaned
                )
        except IntegrityError as exc:
            raise ChangeError(_one_open(kind)) from exc
        files = _save_attachments(request, attachments, actor)
        record(
            actor=actor,
            action="centers.change.created",
            target=request,
            to_state=request.status,
            data={
                "label": f"起草{in_chinese(request.get_kind_display())}申请",
                "attachments": files,
            },
        )
    return request


def change_request_update(
    *, actor, request_id: int, data: dict, attachments=(), remove_ids=()
) -> CenterChangeRequest:
    """Edit a draft or a returned request; everything typed is kept on a refusal (form)."""
    with transaction.atomic():
        request = _lock(request_id)
        if not is_center_staff(request, actor):
            raise PermissionDenied(
                _("Only the staff of the center's lead organization can change the request.")
            )
        if not request.editable:
            raise ChangeError(
                _("The request is now “%(status)s” and can no longer be changed.")
                % {"status": status_label(request.status)}
            )
        cleaned = _clean(request.center, request.kind, data)
        for field, value in cleaned.items():
            setattr(request, field, value)
        request.save()
        removed = list(
            request.attachments.filter(pk__in=list(remove_ids or [])).values_list("name", flat=True)
        )
        for attachment in request.attachments.filter(pk__in=list(remove_ids or [])):
            attachment.file.delete(save=False)
            attachment.delete()
        files = _save_attachments(request, attachments, actor)
        record(
            actor=actor,
            action="centers.change.updated",
            target=request,
            data={"label": "修改变更申请", "attachments": files, "removed": removed},
        )
    return request


def _run(request, transition: str, actor) -> str:
    meta = getattr(type(request), transition)._django_fsm
    info = meta.get_transition(request.status)
    if info is None:
        raise ChangeError(
            _("This cannot be done while the request is “%(status)s”.")
            % {"status": status_label(request.status)}
        )
    if not info.has_perm(request, actor):
        raise PermissionDenied(_("You may not handle this change request."))
    from_state = request.status
    getattr(request, transition)()
    return info.custom.get("label", transition), from_state


def _save(request):
    try:
        request.save()
    except ConcurrentTransition as exc:
        raise ChangeError(
            _("Someone else has dealt with the request; reload the page to see it.")
        ) from exc


def change_request_submit(
    *, actor, request_id: int, now: dt.datetime | None = None
) -> CenterChangeRequest:
    """Submit a draft, or resubmit a returned request, to the organizing department."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(request_id)
        if not is_center_staff(request, actor):
            raise PermissionDenied(
                _("Only the staff of the center's lead organization can submit the request.")
            )
        if not request.editable:
            raise ChangeError(
                _("The request is submitted and now “%(status)s”; no need to submit it again.")
                % {"status": status_label(request.status)}
            )
        transition = "submit" if request.status == Status.DRAFT else "resubmit"
        label, from_state = _run(request, transition, actor)
        request.submitted_at = now
        request.waiting_since = now
        _save(request)
        record(
            actor=actor,
            action=f"centers.change.{transition}",
            target=request,
            from_state=from_state,
            to_state=request.status,
            data={"label": label, "kind": request.kind},
        )
        center = request.center
        _notify_on_commit(
            department_reviewers(center),
            f"待审核的中心变更申请：{center.name}",
            f"{center.name}提交了「{in_chinese(request.get_kind_display())}」申请，请审核。",
            request.pk,
        )
    return request


def stale_message(request, actor, seen: str) -> str:
    """Why a decision on the state ``seen`` is refused: pressed twice, or decided by another."""
    decider = (
        request.dept_decided_by_id
        if seen == Status.DEPT_REVIEW
        else request.province_decided_by_id
        if seen == Status.PROVINCE_REVIEW
        else None
    )
    now = status_label(request.status)
    if decider is not None and decider == getattr(actor, "pk", None):
        return _(
            "You have dealt with this request; it is now “%(status)s”, no need to submit again."
        ) % {"status": now}
    return _(
        "Someone else has dealt with this request; it is now “%(status)s”. Reload the page to see it."
    ) % {"status": now}


def change_request_decide(
    *,
    actor,
    request_id: int,
    decision: str,
    opinion: str = "",
    expected_status: str | None = None,
    now: dt.datetime | None = None,
) -> CenterChangeRequest:
    """The department's (approve / return / reject) or the province's (approve / reject) decision.

    ``expected_status`` is the state the deciding user saw: when someone decided first, the
    second decision is refused with a Chinese message and nothing changes.
    """
    now = now or timezone.now()
    opinion = (opinion or "").strip()
    with transaction.atomic():
        request = _lock(request_id)
        if expected_status and request.status != expected_status:
            raise ChangeError(stale_message(request, actor, expected_status))
        transition = DECISIONS.get((request.status, decision))
        if transition is None:
            if request.status in (Status.DEPT_REVIEW, Status.PROVINCE_REVIEW):
                raise ChangeError(_("Choose the conclusion of the review."))
            raise ChangeError(
                _("This cannot be done while the request is “%(status)s”.")
                % {"status": status_label(request.status)}
            )
        if decision in ("return", "reject") and len(opinion) < 4:
            raise ChangeError(_("To return or refuse, give the reasons (at least 4 characters)."))
        province = request.status == Status.PROVINCE_REVIEW
        if province and decision == "approve" and request.kind == Kind.RENAME:
            validate_center_name(request.new_name, center=request.center)  # still free?
        label, from_state = _run(request, transition, actor)
        if province:
            request.province_decided_by, request.province_decided_at = actor, now
            request.province_opinion = opinion
        else:
            request.dept_decided_by, request.dept_decided_at = actor, now
            request.dept_opinion = opinion
        request.waiting_since = now if request.status == Status.PROVINCE_REVIEW else None
        _save(request)
        payload = {"label": label, "kind": request.kind}
        if opinion:
            payload["reason"] = opinion
        record(
            actor=actor,
            action=f"centers.change.{transition}",
            target=request,
            from_state=from_state,
            to_state=request.status,
            data=payload,
        )
        if request.status == Status.APPROVED:
            apply_change(request=request, actor=actor, now=now)
        _tell(request, decision, opinion)
    return request


def _tell(request, decision, opinion):
    center = request.center
    kind = in_chinese(request.get_kind_display())
    if request.status == Status.PROVINCE_REVIEW:
        _notify_on_commit(
            officer_users(),
            f"待批准的中心变更申请：{center.name}",
            f"{center.department.name}已审核同意{center.name}的「{kind}」申请，请批准或不予批准。",
            request.pk,
        )
        return
    words = {
        Status.RETURNED: "被退回修改",
        Status.REJECTED: "未获同意",
        Status.APPROVED: "已获省科技厅批准",
    }
    text = f"{center.name}的「{kind}」申请{words.get(request.status, '')}。"
    if opinion:
        text += f"意见：{opinion}"
    recipients = center_staff(center)
    if request.status == Status.APPROVED:
        recipients += department_reviewers(center)
    _notify_on_commit(recipients, f"中心变更申请{words.get(request.status, '')}", text, request.pk)
