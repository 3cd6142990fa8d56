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
        raise ChangeError("请填写变更后的中心名称。")
    core = CENTER_NAME_RE.match(name)
    if core is None or core.group("core").startswith("省") or "技术创新中心" in core.group("core"):
        raise ChangeError(
            f"中心名称「{name}」不符合规范，应为「山西省××技术创新中心」的形式"
            "（××为领域或方向名称，至少两个字，不含空格）。"
        )
    if name == center.name:
        raise ChangeError("变更后的名称与现用名称相同。")
    if Center.objects.exclude(pk=center.pk).filter(name=name).exists():
        raise ChangeError(f"「{name}」已是另一家省技术创新中心的名称。")
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
        raise ChangeError("请选择变更事项的类别。")
    reasons = (data.get("reasons") or "").strip()
    errors = []
    if len(reasons) < 10:
        errors.append("请写明变更理由（不少于10个字）。")
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
            errors.append("请填写变更后的主要研究方向。")
        elif cleaned["new_direction"] == (center.main_direction or "").strip():
            errors.append("变更后的主要研究方向与现有方向相同。")
    elif kind == Kind.REORGANIZATION:
        cleaned["new_cobuilders"] = _names(data.get("new_cobuilders"))
        cleaned["new_institutions"] = _names(data.get("new_institutions"))
        unchanged = cleaned["new_cobuilders"] == cobuilder_names(center) and cleaned[
            "new_institutions"
        ] == institution_names(center)
        if unchanged and not cleaned["description"]:
            errors.append("请填写调整后的共建单位或专业化研发机构，或说明合并、重组的内容。")
    elif not cleaned["description"]:
        errors.append("请说明变更的具体内容。")
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
        raise ChangeError("没有这份变更申请。") from exc


def _save_attachments(request, attachments, actor) -> list[str]:
    attachments = [a for a in attachments or [] if a]
    if request.attachments.count() + len(attachments) > MAX_ATTACHMENTS:
        raise ChangeError(f"每份变更申请最多上传{MAX_ATTACHMENTS}个附件。")
    for upload in attachments:
        check_file(upload, "附件", ChangeError)
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


ONE_OPEN = "该中心已有一份尚未办结的「{kind}」申请，请在原申请上继续办理。"


def change_request_create(
    *, actor, center_id: int, kind: str, data: dict, attachments=()
) -> CenterChangeRequest:
    """File a new request as a draft (the center's staff only; one open request per kind)."""
    with transaction.atomic():
        center = Center.objects.select_for_update().filter(pk=center_id).first()
        if center is None:
            raise ChangeError("没有这个中心。")
        probe = CenterChangeRequest(center=center, kind=kind)
        if not is_center_staff(probe, actor):
            raise PermissionDenied("只有中心牵头单位的工作人员可以提出变更申请。")
        if center.status == Center.Status.REVOKED:
            raise ChangeError("该中心已被撤销，不能再申请变更。")
        cleaned = _clean(center, kind, data)
        if _open_exists(center.pk, kind):
            raise ChangeError(ONE_OPEN.format(kind=Kind(kind).label))
        try:
            with transaction.atomic():
                request = CenterChangeRequest.objects.create(
                    center=center, kind=kind, created_by=actor, **cleaned
                )
        except IntegrityError as exc:
            raise ChangeError(ONE_OPEN.format(kind=Kind(kind).label)) from exc
        files = _save_attachments(request, attachments, actor)
        record(
            actor=actor,
            action="centers.change.created",
            target=request,
            to_state=request.status,
            data={"label": f"起草{request.get_kind_display()}申请", "attachments": files},
        )
    return request


def change_request_update(
    *, actor, request_id: int, data: dict, attachments=(), remove_ids=()
) -> CenterChangeRequest:
    """Edit a draft or a returned request; everything typed is kept on a refusal (form)."""
    with transaction.atomic():
        request = _lock(request_id)
        if not is_center_staff(request, actor):
            raise PermissionDenied("只有中心牵头单位的工作人员可以修改变更申请。")
        if not request.editable:
            raise ChangeError(f"该申请当前状态为「{status_label(request.status)}」，不能再修改。")
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
        raise ChangeError(f"当前状态「{status_label(request.status)}」下不能执行此操作。")
    if not info.has_perm(request, actor):
        raise PermissionDenied("您无权办理这份变更申请。")
    from_state = request.status
    getattr(request, transition)()
    return info.custom.get("label", transition), from_state


def _save(request):
    try:
        request.save()
    except ConcurrentTransition as exc:
        raise ChangeError("该申请已被他人处理，请刷新页面后查看。") from exc


def change_request_submit(
    *, actor, request_id: int, now: dt.datetime | None = None
) -> CenterChangeRequest:
    """Submit a draft, or resubmit a returned request, to the organizing department."""
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock(request_id)
        if not is_center_staff(request, actor):
            raise PermissionDenied("只有中心牵头单位的工作人员可以提交变更申请。")
        if not request.editable:
            raise ChangeError(
                f"该申请已提交，当前状态为「{status_label(request.status)}」，无需重复提交。"
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
            f"{center.name}提交了「{request.get_kind_display()}」申请，请审核。",
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
        return f"您已办理过该申请，当前状态为「{now}」，无需重复提交。"
    return f"该申请已由他人处理，当前状态为「{now}」，请刷新页面后查看。"


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
                raise ChangeError("请选择审核结论。")
            raise ChangeError(f"当前状态「{status_label(request.status)}」下不能执行此操作。")
        if decision in ("return", "reject") and len(opinion) < 4:
            raise ChangeError("退回或不同意时，请写明理由（不少于4个字）。")
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
    kind = request.get_kind_display()
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
