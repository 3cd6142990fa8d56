"""Reads of the expert review that respect who may see what (STYLE: fetch and authorize together).

- Provincial officers see every panel and the expert pool.
- An expert sees only their own seats; the plan only once they accepted
  (guardian ``view_application`` on the application, granted to the user);
  other experts' scores only after submitting their own.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404

from accounts.roles import EXPERT, PROVINCIAL_OFFICER
from applications.models import Application
from applications.selectors import get_application_for

from .models import (
    Criterion,
    ExpertProfile,
    OpinionPoint,
    Panel,
    PanelDraw,
    PanelMember,
    Recommendation,
    Score,
    Visit,
    VisitNote,
    pts,
)

TWO = Decimal("0.01")


def is_officer(user) -> bool:
    return user.is_authenticated and user.has_role(PROVINCIAL_OFFICER)


def require_officer(user) -> None:
    if not is_officer(user):
        raise PermissionDenied("只有省科技厅工作人员可以访问此页面。")


# --- officers -------------------------------------------------------------------


def experts_filtered(*, kind: str = "", active: str = "", field_id=None, q: str = ""):
    qs = ExpertProfile.objects.select_related("user").prefetch_related("industry_fields")
    if kind:
        qs = qs.filter(kind=kind)
    if active in ("1", "0"):
        qs = qs.filter(is_active=active == "1")
    if field_id:
        # a subquery, not a join: no duplicate rows, so no DISTINCT
        qs = qs.filter(
            Exists(
                ExpertProfile.industry_fields.through.objects.filter(
                    expertprofile=OuterRef("pk"), industryfield_id=field_id
                )
            )
        )
    if q:
        qs = qs.filter(
            Q(user__last_name__icontains=q)
            | Q(user__first_name__icontains=q)
            | Q(user__last_name=q[:1], user__first_name__startswith=q[1:])
            | Q(user__username__icontains=q)
            | Q(employer_name__icontains=q)
        )
    return qs.order_by("kind", "user__last_name", "user__first_name", "pk")


def applications_for_panels(*, user):
    """Plans in expert review or improving, with their panel (officers only)."""
    require_officer(user)
    return (
        Application.objects.filter(
            status__in=[Application.Status.EXPERT_REVIEW, Application.Status.IMPROVING]
        )
        .select_related("organization", "panel")
        .annotate(
            active_members=Count(
                "panel__members",
                filter=Q(panel__members__status__in=PanelMember.ACTIVE),
            ),
            submitted_sheets=Count(
                "panel__members",
                filter=Q(panel__members__sheet__submitted_at__isnull=False),
            ),
        )
        .order_by("status", "submitted_at", "pk")
    )


def panel_for_officer(*, user, pk: int) -> Panel:
    require_officer(user)
    try:
        return Panel.objects.select_related(
            "application__organization", "template", "created_by"
        ).get(pk=pk)
    except Panel.DoesNotExist as exc:
        raise Http404("No such panel.") from exc


def panel_members(panel: Panel) -> list[PanelMember]:
    return list(
        PanelMember.objects.filter(panel=panel)
        .select_related("expert__user", "sheet", "replaced_by__expert__user")
        .order_by("kind", "pk")
    )


def draws_of(panel: Panel) -> list[PanelDraw]:
    return list(PanelDraw.objects.filter(panel=panel).select_related("created_by"))


def draw_for_officer(*, user, panel_pk: int, pk: int) -> PanelDraw:
    panel = panel_for_officer(user=user, pk=panel_pk)
    try:
        return PanelDraw.objects.select_related("panel", "created_by").get(pk=pk, panel=panel)
    except PanelDraw.DoesNotExist as exc:
        raise Http404("No such draw.") from exc


def visits_of(panel: Panel) -> list[Visit]:
    return list(
        Visit.objects.filter(panel=panel).prefetch_related(
            "files",
            Prefetch(
                "notes",
                queryset=VisitNote.objects.select_related("member__expert__user"),
            ),
        )
    )


def points_of(panel: Panel) -> list[OpinionPoint]:
    return list(OpinionPoint.objects.filter(panel=panel).order_by("number"))


# --- experts ----------------------------------------------------------------------


def memberships_for(*, user):
    """The expert's own seats, newest first, with what is expected of them."""
    if not user.is_authenticated or not user.has_role(EXPERT):
        return PanelMember.objects.none()
    return (
        PanelMember.objects.filter(expert__user=user)
        .select_related("panel__application", "sheet")
        .order_by("-panel__created_at", "-pk")
    )


def member_for_expert(*, user, pk: int) -> PanelMember:
    """One of the expert's own seats; 404 for anyone else's."""
    try:
        return memberships_for(user=user).select_related("panel__template", "expert").get(pk=pk)
    except PanelMember.DoesNotExist as exc:
        raise Http404("No such panel seat.") from exc


@dataclass
class ScoringQueue:
    """The expert's scoring work across panels: seats they may score on open panels, in the
    order of their deadlines (soonest first)."""

    seats: list
    done: int
    total: int

    def next_after(self, member: PanelMember) -> PanelMember | None:
        """The next seat without submitted scores, after ``member`` (wrapping round)."""
        waiting = [s for s in self.seats if not _submitted(s) and s.pk != member.pk]
        if not waiting:
            return None
        position = next((i for i, s in enumerate(self.seats) if s.pk == member.pk), -1)
        later = [s for s in self.seats[position + 1 :] if s in waiting]
        return (later or waiting)[0]


def _submitted(seat: PanelMember) -> bool:
    sheet = getattr(seat, "sheet", None)
    return bool(sheet and sheet.is_submitted)


def scoring_queue(*, user) -> ScoringQueue:
    """One query: the expert's scorable seats on open panels and how many are submitted."""
    seats = list(
        memberships_for(user=user)
        .filter(
            status=PanelMember.Status.ACCEPTED,
            no_conflict_declared_at__isnull=False,
            panel__status=Panel.Status.OPEN,
        )
        .order_by("panel__score_deadline", "panel__pk", "pk")
    )
    done = sum(1 for seat in seats if _submitted(seat))
    return ScoringQueue(seats=seats, done=done, total=len(seats))


def plan_for_member(*, user, member: PanelMember):
    """The application behind an accepted seat, through the guardian permission (404 otherwise)."""
    if member.status != PanelMember.Status.ACCEPTED:
        raise Http404("Accept the invitation first.")
    return get_application_for(user=user, pk=member.panel.application_id)


def scored_version(panel: Panel):
    if panel.version_number is None:
        return None
    return panel.application.versions.filter(number=panel.version_number).first()


def peer_sheets_visible(member: PanelMember) -> bool:
    sheet = getattr(member, "sheet", None)
    return bool(sheet and sheet.is_submitted)


# --- the panel result -----------------------------------------------------------------


@dataclass
class ResultRow:
    member: PanelMember
    cells: list  # Decimal | None per criterion
    total: Decimal | None
    submitted: bool
    deviation: Decimal | None = None
    warn: bool = False


@dataclass
class PanelResult:
    criteria: list[Criterion]
    rows: list[ResultRow]
    criterion_means: list
    count: int = 0
    mean: Decimal | None = None
    trimmed_mean: Decimal | None = None
    trimmed: bool = False
    spread: Decimal | None = None
    stdev: Decimal | None = None
    recommendations: list = field(default_factory=list)
    margin: Decimal = Decimal(15)
    warnings: list[str] = field(default_factory=list)


def q2(value) -> Decimal:
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def mean(values: list[Decimal]) -> Decimal | None:
    return q2(sum(values, Decimal(0)) / len(values)) if values else None


def trimmed_mean(values: list[Decimal]) -> tuple[Decimal | None, bool]:
    """Drop the highest and the lowest when there are five or more values."""
    if len(values) >= 5:
        kept = sorted(values)[1:-1]
        return mean(kept), True
    return mean(values), False


def panel_result(
    panel: Panel, *, margin: Decimal | None = None, submitted_only: bool = True
) -> PanelResult:
    """Scores per expert and criterion with totals and statistics, in a fixed number of queries."""
    margin = panel.deviation_margin if margin is None else margin
    criteria = list(Criterion.objects.filter(template_id=panel.template_id))
    members = [
        m
        for m in panel_members(panel)
        if m.status in PanelMember.ACTIVE or (getattr(m, "sheet", None) and m.sheet.is_submitted)
    ]
    points = {}
    for sheet_member, criterion_id, value in Score.objects.filter(
        sheet__member__panel=panel
    ).values_list("sheet__member_id", "criterion_id", "points"):
        points[(sheet_member, criterion_id)] = value
    rows = []
    for m in members:
        sheet = getattr(m, "sheet", None)
        submitted = bool(sheet and sheet.is_submitted)
        if submitted_only and not submitted:
            rows.append(ResultRow(m, [None] * len(criteria), None, False))
            continue
        cells = [points.get((m.pk, c.pk)) for c in criteria]
        total = sum((c for c in cells if c is not None), Decimal(0)) if submitted else None
        rows.append(ResultRow(m, cells, total, submitted))
    totals = [r.total for r in rows if r.submitted]
    result = PanelResult(
        criteria=criteria,
        rows=rows,
        criterion_means=[
            mean([r.cells[i] for r in rows if r.submitted and r.cells[i] is not None])
            for i in range(len(criteria))
        ],
        count=len(totals),
        margin=margin,
    )
    if totals:
        result.mean = mean(totals)
        result.trimmed_mean, result.trimmed = trimmed_mean(totals)
        result.spread = q2(max(totals) - min(totals))
        result.stdev = q2(statistics.pstdev(totals)) if len(totals) > 1 else q2(0)
        for r in rows:
            if r.submitted:
                r.deviation = q2(r.total - result.mean)
                if abs(r.deviation) > margin:
                    r.warn = True
                    result.warnings.append(
                        f"专家{r.member.expert.user}的总分 {pts(r.total)} 与平均分 {pts(result.mean)} "
                        f"相差 {pts(abs(r.deviation))} 分，超过 {pts(margin)} 分。"
                    )
    counts = {value: 0 for value in Recommendation.values}
    for r in rows:
        if r.submitted and r.member.sheet.recommendation in counts:
            counts[r.member.sheet.recommendation] += 1
    result.recommendations = [(label, counts[value]) for value, label in Recommendation.choices]
    return result


def home_counts(*, user) -> dict:
    """What waits for this user on the home page."""
    out = {}
    if not user.is_authenticated:
        return out
    if user.has_role(EXPERT):
        seats = memberships_for(user=user).filter(panel__status=Panel.Status.OPEN)
        out["invited"] = seats.filter(status=PanelMember.Status.INVITED).count()
        out["to_score"] = (
            seats.filter(status=PanelMember.Status.ACCEPTED)
            .exclude(sheet__submitted_at__isnull=False)
            .count()
        )
    if is_officer(user):
        out["without_panel"] = Application.objects.filter(
            status=Application.Status.EXPERT_REVIEW, panel__isnull=True
        ).count()
        out["to_conclude"] = Panel.objects.filter(
            status=Panel.Status.OPEN, opinion_finalized_at__isnull=False
        ).count()
    return out
