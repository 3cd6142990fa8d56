"""The write path of the expert review (DESIGN §2.2, §3).

Every function is keyword-only with ``actor=`` first, runs in one transaction,
locks the row it changes, writes an audit event in the same transaction and
sends notifications (in-app now, e-mail on commit). Business-rule failures
raise ``ReviewError`` with Chinese messages; wrong people get PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.permissions import grant, revoke
from accounts.roles import EXPERT, PROVINCIAL_OFFICER, grant_role
from applications.models import Application
from applications.services import application_transition
from audit.services import record
from notifications.services import notify

from . import draw as drawing
from .models import (
    Criterion,
    ExpertKind,
    ExpertProfile,
    OpinionPoint,
    Panel,
    PanelDraw,
    PanelMember,
    Recommendation,
    ReminderLog,
    Score,
    ScoreSheet,
    ScoreTemplate,
    Visit,
    VisitFile,
    VisitNote,
    pts,
)

VIEW_APPLICATION = "applications.view_application"
VISIT_NAMES = {"inspection": "实地考察", "defense": "现场答辩"}


class ReviewError(Exception):
    """A review step that cannot happen now; ``messages`` are Chinese."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(str(m) for m in self.messages))


def _require_officer(actor) -> None:
    if actor is None or not actor.has_role(PROVINCIAL_OFFICER):
        raise PermissionDenied("只有省科技厅工作人员可以执行此操作。")


def _link(name, *args) -> str:
    return reverse(f"reviews:{name}", args=args)


def min_panel_size() -> int:
    from django.conf import settings

    return int(getattr(settings, "REVIEWS_MIN_PANEL_SIZE", 5))


# --- expert pool -------------------------------------------------------------

EXPERT_FIELDS = (
    "kind",
    "specialty",
    "employer_name",
    "employer_credit_code",
    "title",
    "phone",
    "email",
    "is_active",
    "avoid_organizations",
)


def expert_save(
    *,
    actor,
    username: str,
    full_name: str,
    industry_fields=(),
    profile_id: int | None = None,
    **values,
) -> ExpertProfile:
    """Create or update an expert profile (and the expert's user account)."""
    _require_officer(actor)
    unknown = set(values) - set(EXPERT_FIELDS)
    if unknown:
        raise TypeError(f"unknown expert fields: {sorted(unknown)}")
    User = get_user_model()
    with transaction.atomic():
        if profile_id is not None:
            profile = ExpertProfile.objects.select_for_update().get(pk=profile_id)
            user = profile.user
            created = False
        else:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username)
                user.set_unusable_password()
            elif user.organization_id or user.department_id:
                raise ReviewError(f"用户名「{username}」已被单位用户使用，请换一个用户名。")
            elif ExpertProfile.objects.filter(user=user).exists():
                raise ReviewError(f"用户名「{username}」已在专家库中。")
            profile = ExpertProfile(user=user)
            created = True
        if full_name:
            user.last_name, user.first_name = full_name[:1], full_name[1:]
        if values.get("email"):
            user.email = values["email"]
        user.save()
        if not user.has_role(EXPERT):
            grant_role(user, EXPERT)
        before = {f: _plain(getattr(profile, f, None)) for f in EXPERT_FIELDS}
        for key, value in values.items():
            setattr(profile, key, value)
        profile.full_clean(exclude=["user"])
        profile.save()
        profile.industry_fields.set(industry_fields)
        changes = {
            f: [before[f], _plain(getattr(profile, f))]
            for f in EXPERT_FIELDS
            if before[f] != _plain(getattr(profile, f))
        }
        record(
            actor=actor,
            action="reviews.expert.created" if created else "reviews.expert.changed",
            target=profile,
            data={"label": "录入专家" if created else "修改专家信息", "changes": changes},
        )
    return profile


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


# --- panel formation ---------------------------------------------------------


def validate_composition(*, size: int, counts: dict[str, int]) -> list[str]:
    problems = []
    if size % 2 == 0:
        problems.append("专家组人数应为奇数。")
    if size < min_panel_size():
        problems.append(f"专家组人数不得少于 {min_panel_size()} 人。")
    for kind in drawing.KIND_ORDER:
        if counts.get(kind, 0) < 1:
            problems.append(f"{drawing.KIND_NAMES[kind]}至少 1 名。")
    if sum(counts.values()) != size:
        problems.append(f"各类专家人数之和（{sum(counts.values())}）应等于专家组人数（{size}）。")
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
        raise ReviewError("尚未设置默认评分模板，请联系系统管理员。")
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
    _require_officer(actor)
    counts = {
        ExpertKind.TECHNICAL.value: n_technical,
        ExpertKind.MANAGEMENT.value: n_management,
        ExpertKind.FINANCIAL.value: n_financial,
    }
    problems = validate_composition(size=size, counts=counts)
    if score_deadline < timezone.localdate():
        problems.append("评分截止日期不能早于今天。")
    if problems:
        raise ReviewError(problems)
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application_id)
        if app.status != Application.Status.EXPERT_REVIEW:
            raise ReviewError("只有处于「专家论证」阶段的建设方案才能组建专家组。")
        if Panel.objects.filter(application=app).exists():
            raise ReviewError("该建设方案已组建专家组，请刷新页面后查看。")
        template = (
            ScoreTemplate.objects.select_for_update().get(pk=template_id)
            if template_id
            else default_template()
        )
        if not template.criteria.exists():
            raise ReviewError("所选评分模板没有评分项。")
        number, data = version_data(app)
        elig = drawing.eligibility(
            data=data, field_id=app.industry_field_id, avoid_request=avoid_request
        )
        missing = drawing.shortfalls(elig.candidates, counts)
        if missing:
            raise ReviewError(missing + ["请补充专家库或调整各类专家人数后重新抽取。"])
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
        members = _seat(panel, record_draw, picked)
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
        _invite(members)
    return panel


def _seat(panel: Panel, record_draw: PanelDraw, picked: dict[str, list[int]]) -> list[PanelMember]:
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


def _invite(members: list[PanelMember]) -> None:
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
            link=_link("member_detail", member.pk),
        )


def reproduce_draw(record_draw: PanelDraw) -> bool:
    """Re-run a recorded draw from its seed and candidates: True when it gives the same experts."""
    return drawing.pick(record_draw.candidates, record_draw.wanted, record_draw.seed) == {
        k: sorted(v) for k, v in record_draw.picked.items()
    }


def _lock_member(member_id: int) -> PanelMember:
    return (
        PanelMember.objects.select_for_update(of=("self",))
        .select_related("panel__application", "expert__user")
        .get(pk=member_id)
    )


def _own_member(actor, member_id: int) -> PanelMember:
    member = _lock_member(member_id)
    if actor is None or member.expert.user_id != actor.pk:
        raise PermissionDenied("这不是您的专家组席位。")
    if member.panel.status != Panel.Status.OPEN:
        raise ReviewError("专家论证已结束。")
    return member


def member_respond(*, actor, member_id: int, accept: bool, note: str = "") -> PanelMember:
    """The invited expert accepts (and may then read the plan) or declines."""
    with transaction.atomic():
        member = _own_member(actor, member_id)
        if member.status != PanelMember.Status.INVITED:
            raise ReviewError("该邀请已处理。")
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
        link=_link("panel_detail", panel.pk),
    )


def member_declare(*, actor, member_id: int, conflict: bool, note: str = "") -> PanelMember:
    """Conflict-of-interest declaration before scoring. Declaring a conflict leaves the panel."""
    with transaction.atomic():
        member = _own_member(actor, member_id)
        if member.status != PanelMember.Status.ACCEPTED:
            raise ReviewError("请先接受邀请。")
        if member.no_conflict_declared_at is not None:
            raise ReviewError("您已作出利益冲突声明。")
        app = member.panel.application
        if conflict:
            if not note.strip():
                raise ReviewError("请说明利益冲突的情况。")
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
    _require_officer(actor)
    if not reason.strip():
        raise ReviewError("请填写更换专家的理由。")
    with transaction.atomic():
        member = _lock_member(member_id)
        panel = Panel.objects.select_for_update().get(pk=member.panel_id)
        if panel.status != Panel.Status.OPEN:
            raise ReviewError("专家论证已结束，不能更换专家。")
        if member.replaced_by_id is not None:
            raise ReviewError("该专家已被替换，请刷新页面后查看。")
        if hasattr(member, "sheet") and member.sheet.is_submitted:
            raise ReviewError("该专家已提交评分，不能更换。")
        app = panel.application
        old_status = member.status
        if member.status in PanelMember.ACTIVE:
            member.status = PanelMember.Status.REMOVED
        member.removed_reason = reason.strip()
        member.is_chair = False
        member.save(update_fields=["status", "removed_reason", "is_chair"])
        revoke(VIEW_APPLICATION, member.expert.user, app)
        _number, data = _version(panel)
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
            raise ReviewError(missing + ["专家库中没有可替换的专家，请先补充专家库。"])
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
        (new_member,) = _seat(panel, record_draw, picked)
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
                link=_link("my_panels"),
            )
        _invite([new_member])
    return new_member


def _version(panel: Panel) -> tuple[int | None, dict]:
    version = panel.application.versions.filter(number=panel.version_number).first()
    if version is None:
        return version_data(panel.application)
    return version.number, version.data


def panel_set_chair(*, actor, panel_id: int, member_id: int) -> PanelMember:
    _require_officer(actor)
    with transaction.atomic():
        panel = Panel.objects.select_for_update().select_related("application").get(pk=panel_id)
        if panel.status != Panel.Status.OPEN:
            raise ReviewError("专家论证已结束。")
        member = PanelMember.objects.select_related("expert__user").get(pk=member_id, panel=panel)
        if member.status not in PanelMember.ACTIVE:
            raise ReviewError("只能从专家组现有成员中指定组长。")
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
            link=_link("member_detail", member.pk),
        )
    return member


# --- scoring ----------------------------------------------------------------


def score_bounds_problems(criteria, scores: dict[int, Decimal | None]) -> dict[int, str]:
    problems = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            continue
        if value < 0:
            problems[criterion.pk] = f"「{criterion.name}」的得分不能为负数。"
        elif value > criterion.max_points:
            problems[criterion.pk] = (
                f"「{criterion.name}」的得分不能超过该项满分 {pts(criterion.max_points)} 分。"
            )
    return problems


def score_save(
    *,
    actor,
    member_id: int,
    scores: dict[int, Decimal | None],
    opinion: str = "",
    recommendation: str = "",
    submit: bool = False,
) -> ScoreSheet:
    """Save the expert's score sheet as a draft, or submit it (then it is locked)."""
    with transaction.atomic():
        member = _own_member(actor, member_id)
        if not member.may_score:
            raise ReviewError("请先接受邀请并作出利益冲突声明，再进行评分。")
        sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(member=member)
        if sheet.is_submitted:
            raise ReviewError("评分已提交，不能再修改。")
        criteria = list(Criterion.objects.filter(template_id=member.panel.template_id))
        problems = list(score_bounds_problems(criteria, scores).values())
        if submit:
            problems += [f"请为「{c.name}」打分。" for c in criteria if scores.get(c.pk) is None]
            if not opinion.strip():
                problems.append("请填写评审意见。")
            if recommendation not in Recommendation.values:
                problems.append("请选择评审建议。")
        if problems:
            raise ReviewError(problems)
        for criterion in criteria:
            value = scores.get(criterion.pk)
            if value is None:
                Score.objects.filter(sheet=sheet, criterion=criterion).delete()
            else:
                Score.objects.update_or_create(
                    sheet=sheet, criterion=criterion, defaults={"points": value}
                )
        sheet.opinion = opinion.strip()
        sheet.recommendation = recommendation if recommendation in Recommendation.values else ""
        if submit:
            sheet.submitted_at = timezone.now()
        sheet.save()
        if submit:
            total = sum((scores[c.pk] for c in criteria), Decimal(0))
            record(
                actor=actor,
                action="reviews.score.submitted",
                target=member.panel.application,
                data={
                    "label": "专家提交评分",
                    "member": member.pk,
                    "total": str(total),
                    "recommendation": sheet.recommendation,
                },
            )
            _tell_chair_when_complete(member.panel)
    return sheet


def _tell_chair_when_complete(panel: Panel) -> None:
    from .rules import scores_complete

    if not scores_complete(panel):
        return
    chair = PanelMember.objects.filter(panel=panel, is_chair=True).select_related("expert__user")
    recipients = [m.expert.user for m in chair] + [panel.created_by]
    notify(
        recipients=recipients,
        subject=f"专家评分已全部提交：{panel.application.full_name}",
        body="全体专家已提交评分，请组长撰写专家组意见。",
        link=_link("panel_detail", panel.pk),
    )


# --- site inspection and defense ------------------------------------------


def visit_record(
    *,
    actor,
    panel_id: int,
    kind: str,
    date: dt.date,
    place: str,
    attendees: str,
    findings: str,
    files=(),
) -> Visit:
    _require_officer(actor)
    with transaction.atomic():
        panel = Panel.objects.select_for_update().select_related("application").get(pk=panel_id)
        if panel.status != Panel.Status.OPEN:
            raise ReviewError("专家论证已结束。")
        visit = Visit.objects.create(
            panel=panel,
            kind=kind,
            date=date,
            place=place,
            attendees=attendees,
            findings=findings,
            recorded_by=actor,
        )
        for upload in files:
            VisitFile.objects.create(visit=visit, file=upload, name=upload.name, size=upload.size)
        record(
            actor=actor,
            action=f"reviews.visit.{kind}",
            target=panel.application,
            data={
                "label": f"记录{VISIT_NAMES[kind]}",
                "date": f"{date:%Y-%m-%d}",
                "place": place,
            },
        )
        members = PanelMember.objects.filter(
            panel=panel, status=PanelMember.Status.ACCEPTED
        ).select_related("expert__user")
        notify(
            recipients=[m.expert.user for m in members],
            subject=f"{VISIT_NAMES[kind]}记录：{panel.application.full_name}",
            body=f"{date:%Y年%-m月%-d日}在{place}进行的{VISIT_NAMES[kind]}已记录，请补充您的意见。",
            link=_link("panel_detail", panel.pk),
        )
    return visit


def visit_note_save(*, actor, member_id: int, visit_id: int, text: str) -> VisitNote:
    if not text.strip():
        raise ReviewError("请填写考察或答辩意见。")
    with transaction.atomic():
        member = _own_member(actor, member_id)
        if member.status != PanelMember.Status.ACCEPTED:
            raise ReviewError("请先接受邀请。")
        visit = Visit.objects.get(pk=visit_id, panel_id=member.panel_id)
        note, created = VisitNote.objects.update_or_create(
            visit=visit, member=member, defaults={"text": text.strip()}
        )
        record(
            actor=actor,
            action="reviews.visit.note",
            target=member.panel.application,
            data={"label": f"专家填写{VISIT_NAMES[visit.kind]}意见", "visit": visit.pk},
        )
    return note


# --- panel opinion, conclusion, improvement --------------------------------


def opinion_save(
    *, actor, member_id: int, summary: str, points: list[str], sign: bool = False
) -> Panel:
    """The chair writes the panel opinion (专家组意见) as numbered points; signing fixes it."""
    from .rules import scores_complete

    with transaction.atomic():
        member = _own_member(actor, member_id)
        panel = Panel.objects.select_for_update().get(pk=member.panel_id)
        if not member.is_chair or member.status != PanelMember.Status.ACCEPTED:
            raise PermissionDenied("只有专家组组长可以撰写专家组意见。")
        if panel.opinion_written:
            raise ReviewError("专家组意见已签署，不能再修改。")
        points = [p.strip() for p in points if p and p.strip()]
        problems = []
        if sign:
            if not summary.strip():
                problems.append("请填写专家组综合意见。")
            if not points:
                problems.append("请至少列出一条修改完善意见。")
            if not scores_complete(panel):
                problems.append("全体专家提交评分后才能签署专家组意见。")
        if problems:
            raise ReviewError(problems)
        panel.opinion_summary = summary.strip()
        OpinionPoint.objects.filter(panel=panel).delete()
        OpinionPoint.objects.bulk_create(
            [OpinionPoint(panel=panel, number=n, text=t) for n, t in enumerate(points, start=1)]
        )
        fields = ["opinion_summary"]
        if sign:
            panel.opinion_finalized_at = timezone.now()
            fields.append("opinion_finalized_at")
        panel.save(update_fields=fields)
        if sign:
            record(
                actor=actor,
                action="reviews.panel.opinion",
                target=panel.application,
                data={"label": "专家组组长签署专家组意见", "points": len(points)},
            )
            notify(
                recipients=[panel.created_by],
                subject=f"专家组意见已签署：{panel.application.full_name}",
                body="专家组意见已签署，请作出专家论证结论。",
                link=_link("panel_detail", panel.pk),
            )
    return panel


def opinion_text(panel: Panel) -> str:
    lines = [panel.opinion_summary] if panel.opinion_summary else []
    lines += [f"{p.number}. {p.text}" for p in panel.points.all()]
    return "\n".join(lines)


def panel_conclude(*, actor, panel_id: int, outcome: str) -> Panel:
    """The officer concludes: pass (the plan goes to ``improving``) or fail (``rejected``)."""
    _require_officer(actor)
    if outcome not in Panel.Outcome.values:
        raise ReviewError("请选择论证结论。")
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel_id)
        if panel.status != Panel.Status.OPEN:
            raise ReviewError("该专家组已作出结论，请刷新页面后查看。")
        application_transition(
            actor=actor,
            application_id=panel.application_id,
            transition="conclude_pass" if outcome == "pass" else "conclude_fail",
            reason=opinion_text(panel),
            expected_status=Application.Status.EXPERT_REVIEW,
            data={"panel": panel.pk},
        )
        panel.status = Panel.Status.CONCLUDED
        panel.outcome = outcome
        panel.concluded_at = timezone.now()
        panel.save(update_fields=["status", "outcome", "concluded_at"])
        members = PanelMember.objects.filter(
            panel=panel, status=PanelMember.Status.ACCEPTED
        ).select_related("expert__user", "panel__application")
        notify(
            recipients=[m.expert.user for m in members],
            subject=f"专家论证已作出结论：{panel.application.full_name}",
            body=f"论证结论：{'通过' if outcome == 'pass' else '未通过'}。感谢您的参与。",
            link=_link("my_panels"),
        )
    return panel


def improvement_save(
    *, actor, application_id: int, answers: dict[int, str], submit: bool = False
) -> Panel:
    """The applicant answers each point of the panel opinion; submitting freezes a new version."""
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application_id)
        if not actor.has_perm("applications.change_application", app):
            raise PermissionDenied("您无权修改该建设方案。")
        if app.status != Application.Status.IMPROVING:
            raise ReviewError("该建设方案当前不在「完善建设方案」阶段。")
        panel = Panel.objects.select_for_update().get(application=app)
        now = timezone.now()
        for point in OpinionPoint.objects.select_for_update().filter(panel=panel):
            if point.pk in answers:
                text = (answers[point.pk] or "").strip()
                if text != point.answer:
                    point.answer = text
                    point.answered_at = now if text else None
                    point.save(update_fields=["answer", "answered_at"])
        if submit:
            missing = list(
                OpinionPoint.objects.filter(panel=panel, answer="").values_list("number", flat=True)
            )
            if missing:
                raise ReviewError([f"请回应专家组意见第 {n} 条。" for n in missing])
            application_transition(
                actor=actor,
                application_id=app.pk,
                transition="submit_improved",
                expected_status=Application.Status.IMPROVING,
                data={"panel": panel.pk},
            )
            panel.improved_submitted_at = now
            panel.save(update_fields=["improved_submitted_at"])
        else:
            record(
                actor=actor,
                action="reviews.improvement.draft",
                target=app,
                data={"label": "保存对专家组意见的回应（草稿）"},
            )
    return panel


# --- reminders ----------------------------------------------------------------


def send_score_reminders(*, today: dt.date | None = None, days_before: int = 2) -> dict[str, int]:
    """Remind experts of scores due within ``days_before`` days; tell the officer of overdue ones.

    Idempotent: a ``ReminderLog`` row per (member, deadline, kind) is written in
    the same transaction as the message, and its unique constraint refuses a second one.
    """
    today = today or timezone.localdate()
    sent = {"due_soon": 0, "overdue": 0}
    pending = (
        PanelMember.objects.filter(
            panel__status=Panel.Status.OPEN,
            status__in=PanelMember.ACTIVE,
            panel__score_deadline__lte=today + dt.timedelta(days=days_before),
        )
        .exclude(sheet__submitted_at__isnull=False)
        .select_related("panel__application", "panel__created_by", "expert__user")
        .order_by("pk")
    )
    for member in pending:
        panel = member.panel
        kind = (
            ReminderLog.Kind.OVERDUE if panel.score_deadline < today else ReminderLog.Kind.DUE_SOON
        )
        try:
            with transaction.atomic():
                ReminderLog.objects.create(member=member, deadline=panel.score_deadline, kind=kind)
                name = panel.application.full_name
                due = f"{panel.score_deadline:%Y年%-m月%-d日}"
                if kind == ReminderLog.Kind.DUE_SOON:
                    notify(
                        recipients=[member.expert.user],
                        subject=f"评分即将截止：{name}",
                        body=f"「{name}」的专家评分将于 {due} 截止，请尽快完成评分。",
                        link=_link("member_detail", member.pk),
                    )
                else:
                    notify(
                        recipients=[panel.created_by],
                        subject=f"专家评分已逾期：{name}",
                        body=f"专家{member.expert.user}（{drawing.KIND_NAMES[member.kind]}）"
                        f"未在 {due} 前提交「{name}」的评分。",
                        link=_link("panel_detail", panel.pk),
                    )
        except IntegrityError:
            continue  # already reminded for this deadline
        sent[kind] += 1
    return sent
