"""Expert panels and their random draw (专家组抽取, Art. 9(2))."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import require_officer
from applications.models import Application
from audit.services import record
from notifications.services import notify
from reviews import draw as drawing
from reviews.models import ExpertKind, ExpertProfile, Panel, PanelDraw, PanelMember, ScoreTemplate
from reviews.services.common import ReviewError, min_panel_size, page_link


def validate_composition(*, size: int, counts: dict[str, int]) -> list[str]:
    problems = []
    if size % 2 == 0:
        problems.append(_("The panel must have an odd number of experts."))
    if size < min_panel_size():
        problems.append(
            _("The panel needs at least %(count)s experts.") % {"count": min_panel_size()}
        )
    for kind in drawing.KIND_ORDER:
        if counts.get(kind, 0) < 1:
            problems.append(_("At least 1 %(kind)s.") % {"kind": ExpertKind(kind).label})
    if sum(counts.values()) != size:
        problems.append(
            _(
                "The numbers of each kind of expert (%(total)s in all) must add up to the panel "
                "size (%(size)s)."
            )
            % {"total": sum(counts.values()), "size": size}
        )
    return problems


def version_data(app: Application) -> tuple[int | None, dict]:
    """The latest frozen version of the plan (the one the panel scores), or the live plan."""
    version = app.versions.order_by("-number").first() if hasattr(app, "versions") else None
    if version is not None:
        return version.number, version.data
    from applications.versions import snapshot

    return None, snapshot(app)


def default_template() -> ScoreTemplate:
    template = ScoreTemplate.objects.filter(is_default=True).first()
    if template is None:
        raise ReviewError(_("No default score template is set; ask the system administrator."))
    return template


def panel_form(
    *,
    actor,
    application_id: int,
    size: int,
    n_technical: int,
    n_management: int,
    n_financial: int,
    score_deadline: dt.date,
    template_id: int | None = None,
    avoid_request: str = "",
    deviation_margin: Decimal | int = 15,
    seed: int | None = None,
) -> Panel:
    """Form the panel of a plan in expert review: exclude conflicts, then draw at random."""
    require_officer(actor)
    counts = {
        ExpertKind.TECHNICAL.value: n_technical,
        ExpertKind.MANAGEMENT.value: n_management,
        ExpertKind.FINANCIAL.value: n_financial,
    }
    problems = validate_composition(size=size, counts=counts)
    if score_deadline < timezone.localdate():
        problems.append(_("The scoring deadline cannot be before today."))
    if problems:
        raise ReviewError(problems)
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application_id)
        if app.status != Application.Status.EXPERT_REVIEW:
            raise ReviewError(_("Only a plan in the expert review step can get a panel."))
        if Panel.objects.filter(application=app).exists():
            raise ReviewError(_("This plan already has a panel; reload the page to see it."))
        template = (
            ScoreTemplate.objects.select_for_update().get(pk=template_id)
            if template_id
            else default_template()
        )
        if not template.criteria.exists():
            raise ReviewError(_("The score template chosen has no criteria."))
        number, data = version_data(app)
        elig = drawing.eligibility(
            data=data, field_id=app.industry_field_id, avoid_request=avoid_request
        )
        missing = drawing.shortfalls(elig.candidates, counts)
        if missing:
            raise ReviewError(
                missing
                + [
                    _(
                        "Add experts to the pool or change the numbers of each kind, then draw again."
                    )
                ]
            )
        if template.frozen_at is None:
            template.frozen_at = timezone.now()
            template.save(update_fields=["frozen_at"])
        panel = Panel.objects.create(
            application=app,
            version_number=number,
            template=template,
            size=size,
            n_technical=n_technical,
            n_management=n_management,
            n_financial=n_financial,
            avoid_request=avoid_request,
            score_deadline=score_deadline,
            deviation_margin=deviation_margin,
            created_by=actor,
        )
        seed = secrets.randbits(48) if seed is None else seed
        picked = drawing.pick(elig.candidates, counts, seed)
        record_draw = PanelDraw.objects.create(
            panel=panel,
            purpose=PanelDraw.Purpose.FORMATION,
            seed=seed,
            wanted=counts,
            candidates=elig.candidates,
            exclusions=elig.exclusions,
            picked=picked,
            created_by=actor,
        )
        members = seat_experts(panel, record_draw, picked)
        record(
            actor=actor,
            action="reviews.panel.formed",
            target=app,
            data={
                "label": "组建专家组（随机抽取）",
                "panel": panel.pk,
                "seed": seed,
                "picked": picked,
                "excluded": len(elig.exclusions),
            },
        )
        invite_members(members)
    return panel


def seat_experts(
    panel: Panel, record_draw: PanelDraw, picked: dict[str, list[int]]
) -> list[PanelMember]:
    experts = ExpertProfile.objects.select_related("user").in_bulk(
        [pk for ids in picked.values() for pk in ids]
    )
    members = []
    for kind in drawing.KIND_ORDER:
        for pk in picked.get(kind, []):
            members.append(
                PanelMember.objects.create(
                    panel=panel, expert=experts[pk], kind=kind, draw=record_draw
                )
            )
    return members


def invite_members(members: list[PanelMember]) -> None:
    for member in members:
        panel = member.panel
        notify(
            recipients=[member.expert.user],
            subject=f"专家论证邀请：{panel.application.full_name}",
            body=(
                f"您被抽选为「{panel.application.full_name}」建设方案论证专家组成员"
                f"（{drawing.KIND_NAMES[member.kind]}），评分截止日期 {panel.score_deadline:%Y年%-m月%-d日}。"
                "请登录系统接受或谢绝邀请。"
            ),
            link=page_link("member_detail", member.pk),
        )


def reproduce_draw(record_draw: PanelDraw) -> bool:
    """Re-run a recorded draw from its seed and candidates: True when it gives the same experts."""
    return drawing.pick(record_draw.candidates, record_draw.wanted, record_draw.seed) == {
        k: sorted(v) for k, v in record_draw.picked.items()
    }


def frozen_version(panel: Panel) -> tuple[int | None, dict]:
    version = panel.application.versions.filter(number=panel.version_number).first()
    if version is None:
        return version_data(panel.application)
    return version.number, version.data
