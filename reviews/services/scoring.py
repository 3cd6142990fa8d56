"""Scoring (专家打分): bounds per criterion, saving a member's scores."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from notifications.services import notify
from reviews.models import Criterion, Panel, PanelMember, Recommendation, Score, ScoreSheet, pts
from reviews.services.common import ReviewError, page_link
from reviews.services.members import own_member


def score_bounds_problems(criteria, scores: dict[int, Decimal | None]) -> dict[int, str]:
    problems = {}
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            continue
        if value < 0:
            problems[criterion.pk] = _("The score of “%(criterion)s” cannot be negative.") % {
                "criterion": criterion.localized_name
            }
        elif value > criterion.max_points:
            problems[criterion.pk] = _(
                "The score of “%(criterion)s” cannot exceed its full %(points)s points."
            ) % {"criterion": criterion.localized_name, "points": pts(criterion.max_points)}
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
        member = own_member(actor, member_id)
        if not member.may_score:
            raise ReviewError(
                _("Accept the invitation and declare your conflicts of interest before scoring.")
            )
        sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(member=member)
        if sheet.is_submitted:
            raise ReviewError(_("The scores are submitted and can no longer change."))
        criteria = list(Criterion.objects.filter(template_id=member.panel.template_id))
        problems = list(score_bounds_problems(criteria, scores).values())
        if submit:
            problems += [
                _("Score “%(criterion)s”.") % {"criterion": c.localized_name}
                for c in criteria
                if scores.get(c.pk) is None
            ]
            if not opinion.strip():
                problems.append(_("Fill in your review opinion."))
            if recommendation not in Recommendation.values:
                problems.append(_("Choose your recommendation."))
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
    from reviews.rules import scores_complete

    if not scores_complete(panel):
        return
    chair = PanelMember.objects.filter(panel=panel, is_chair=True).select_related("expert__user")
    recipients = [m.expert.user for m in chair] + [panel.created_by]
    notify(
        recipients=recipients,
        subject=f"专家评分已全部提交：{panel.application.full_name}",
        body="全体专家已提交评分，请组长撰写专家组意见。",
        link=page_link("panel_detail", panel.pk),
    )
