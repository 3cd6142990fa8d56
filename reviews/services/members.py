"""Panel members: invitations, conflicts of interest (回避), replacements, the chair."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import grant, revoke
from accounts.roles import require_officer
from audit.services import record
from notifications.services import notify
from reviews import draw as drawing
from reviews.models import Panel, PanelDraw, PanelMember
from reviews.services.common import VIEW_APPLICATION, ReviewError, page_link
from reviews.services.panels import frozen_version, invite_members, seat_experts


def _lock_member(member_id: int) -> PanelMember:
    return (
        PanelMember.objects.select_for_update(of=("self",))
        .select_related("panel__application", "expert__user")
        .get(pk=member_id)
    )


def own_member(actor, member_id: int) -> PanelMember:
    member = _lock_member(member_id)
    if actor is None or member.expert.user_id != actor.pk:
        raise PermissionDenied(_("This is not your seat on the panel."))
    if member.panel.status != Panel.Status.OPEN:
        raise ReviewError(_("The expert review is over."))
    return member


def member_respond(*, actor, member_id: int, accept: bool, note: str = "") -> PanelMember:
    """The invited expert accepts (and may then read the plan) or declines."""
    with transaction.atomic():
        member = own_member(actor, member_id)
        if member.status != PanelMember.Status.INVITED:
            raise ReviewError(_("This invitation has been dealt with."))
        member.status = PanelMember.Status.ACCEPTED if accept else PanelMember.Status.DECLINED
        member.responded_at = timezone.now()
        if not accept:
            member.removed_reason = note.strip() or "专家谢绝邀请"
        member.save(update_fields=["status", "responded_at", "removed_reason"])
        app = member.panel.application
        if accept:
            grant(VIEW_APPLICATION, actor, app)
        record(
            actor=actor,
            action="reviews.member.accepted" if accept else "reviews.member.declined",
            target=app,
            data={
                "label": "专家接受邀请" if accept else "专家谢绝邀请",
                "member": member.pk,
                **({"reason": member.removed_reason} if not accept else {}),
            },
        )
        if not accept:
            _ask_replacement(member, "谢绝了邀请")
    return member


def _ask_replacement(member: PanelMember, what: str) -> None:
    panel = member.panel
    notify(
        recipients=[panel.created_by],
        subject=f"请补选专家：{panel.application.full_name}",
        body=f"专家{member.expert.user}（{drawing.KIND_NAMES[member.kind]}）{what}，请为专家组补选专家。"
        + (f"\n说明：{member.removed_reason}" if member.removed_reason else ""),
        link=page_link("panel_detail", panel.pk),
    )


def member_declare(*, actor, member_id: int, conflict: bool, note: str = "") -> PanelMember:
    """Conflict-of-interest declaration before scoring. Declaring a conflict leaves the panel."""
    with transaction.atomic():
        member = own_member(actor, member_id)
        if member.status != PanelMember.Status.ACCEPTED:
            raise ReviewError(_("Accept the invitation first."))
        if member.no_conflict_declared_at is not None:
            raise ReviewError(_("You have already declared your conflicts of interest."))
        app = member.panel.application
        if conflict:
            if not note.strip():
                raise ReviewError(_("Describe the conflict of interest."))
            member.status = PanelMember.Status.CONFLICT
            member.conflict_note = note.strip()
            member.removed_reason = f"专家声明存在利益冲突：{note.strip()}"
            member.is_chair = False
            member.save(update_fields=["status", "conflict_note", "removed_reason", "is_chair"])
            revoke(VIEW_APPLICATION, actor, app)
            _ask_replacement(member, "声明存在利益冲突并退出专家组")
        else:
            member.no_conflict_declared_at = timezone.now()
            member.save(update_fields=["no_conflict_declared_at"])
        record(
            actor=actor,
            action="reviews.member.conflict" if conflict else "reviews.member.no_conflict",
            target=app,
            data={
                "label": "专家声明存在利益冲突" if conflict else "专家声明无利益冲突",
                "member": member.pk,
                **({"reason": note.strip()} if conflict else {}),
            },
        )
    return member


def member_replace(*, actor, member_id: int, reason: str, seed: int | None = None) -> PanelMember:
    """Replace a member by a new random draw of the same kind; the reason is recorded."""
    require_officer(actor)
    if not reason.strip():
        raise ReviewError(_("Give the reasons for replacing the expert."))
    with transaction.atomic():
        member = _lock_member(member_id)
        panel = Panel.objects.select_for_update().get(pk=member.panel_id)
        if panel.status != Panel.Status.OPEN:
            raise ReviewError(_("The expert review is over; experts can no longer be replaced."))
        if member.replaced_by_id is not None:
            raise ReviewError(_("This expert has been replaced; reload the page to see it."))
        if hasattr(member, "sheet") and member.sheet.is_submitted:
            raise ReviewError(_("This expert has submitted scores and cannot be replaced."))
        app = panel.application
        old_status = member.status
        if member.status in PanelMember.ACTIVE:
            member.status = PanelMember.Status.REMOVED
        member.removed_reason = reason.strip()
        member.is_chair = False
        member.save(update_fields=["status", "removed_reason", "is_chair"])
        revoke(VIEW_APPLICATION, member.expert.user, app)
        _number, data = frozen_version(panel)
        seated = PanelMember.objects.filter(panel=panel).values_list("expert_id", flat=True)
        elig = drawing.eligibility(
            data=data,
            field_id=app.industry_field_id,
            avoid_request=panel.avoid_request,
            exclude_ids=seated,
        )
        wanted = {k: (1 if k == member.kind else 0) for k in drawing.KIND_ORDER}
        missing = drawing.shortfalls(elig.candidates, wanted)
        if missing:
            raise ReviewError(
                missing + [_("No expert in the pool can replace; add experts to the pool first.")]
            )
        seed = secrets.randbits(48) if seed is None else seed
        picked = drawing.pick(elig.candidates, wanted, seed)
        record_draw = PanelDraw.objects.create(
            panel=panel,
            purpose=PanelDraw.Purpose.REPLACEMENT,
            seed=seed,
            wanted=wanted,
            candidates=elig.candidates,
            exclusions=elig.exclusions,
            picked=picked,
            reason=f"替换{member.expert.user}：{reason.strip()}",
            created_by=actor,
        )
        (new_member,) = seat_experts(panel, record_draw, picked)
        member.replaced_by = new_member
        member.save(update_fields=["replaced_by"])
        record(
            actor=actor,
            action="reviews.member.replaced",
            target=app,
            data={
                "label": "更换专家",
                "reason": reason.strip(),
                "member": member.pk,
                "from_status": old_status,
                "new_member": new_member.pk,
                "seed": seed,
            },
        )
        if old_status in PanelMember.ACTIVE:
            notify(
                recipients=[member.expert.user],
                subject=f"您已不再担任论证专家：{app.full_name}",
                body=f"省科技厅已调整「{app.full_name}」论证专家组成员。理由：{reason.strip()}",
                link=page_link("my_panels"),
            )
        invite_members([new_member])
    return new_member


def panel_set_chair(*, actor, panel_id: int, member_id: int) -> PanelMember:
    require_officer(actor)
    with transaction.atomic():
        panel = Panel.objects.select_for_update().select_related("application").get(pk=panel_id)
        if panel.status != Panel.Status.OPEN:
            raise ReviewError(_("The expert review is over."))
        member = PanelMember.objects.select_related("expert__user").get(pk=member_id, panel=panel)
        if member.status not in PanelMember.ACTIVE:
            raise ReviewError(_("The chair must be one of the panel's members."))
        if member.is_chair:
            return member
        PanelMember.objects.filter(panel=panel, is_chair=True).update(is_chair=False)
        member.is_chair = True
        member.save(update_fields=["is_chair"])
        record(
            actor=actor,
            action="reviews.panel.chair",
            target=panel.application,
            data={"label": "指定专家组组长", "member": member.pk, "chair": str(member.expert.user)},
        )
        notify(
            recipients=[member.expert.user],
            subject=f"您被指定为专家组组长：{panel.application.full_name}",
            body="请在全部专家提交评分后，撰写并签署专家组意见。",
            link=page_link("member_detail", member.pk),
        )
    return member
