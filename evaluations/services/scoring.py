"""Scoring by the commissioned institution: rule-scored indicators are computed from the
self-report's values against the plan's targets (attainment, capped), hand-scored ones are
entered within their points; findings, the formal report (PDF) and the proposed grade from
the template's thresholds. An optional expert hearing excludes conflicted experts as the
panel draw does (reviews.draw.conflict_reasons). Once proposed, the scores are locked."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from audit.services import record
from centers.files import UploadRefused, check_upload
from documents.languages import punct
from evaluations.models import (
    EvaluationStatus,
    ExpertHearing,
    Indicator,
    IndicatorScore,
    ScoringRule,
    SelfReportValue,
)
from evaluations.services.commissioning import parties
from evaluations.services.common import (
    EvaluationError,
    lock,
    notify_later,
    officers,
    require_evaluator,
    require_state,
    zh,
)
from reviews.draw import conflict_reasons
from reviews.models import ExpertProfile

CENT = Decimal("0.01")


@dataclass
class Row:
    indicator: Indicator
    value: Decimal | None
    target: Decimal | None
    attainment: Decimal | None
    computed: Decimal | None  # the rule's score, None when scored by hand
    stored: IndicatorScore | None

    @property
    def by_rule(self) -> bool:
        return self.computed is not None

    @property
    def score(self):
        if self.by_rule:
            return self.computed
        return self.stored.score if self.stored else None


def attainment_score(indicator: Indicator, value, target):
    """(attainment, score) of an attainment-rule indicator; (None, None) without a target."""
    if value is None or target is None or target <= 0:
        return None, None
    attainment = (Decimal(value) / Decimal(target)).quantize(Decimal("0.0001"))
    capped = min(attainment, indicator.cap)
    score = (indicator.points * capped / indicator.cap).quantize(CENT, ROUND_HALF_UP)
    return attainment, min(score, indicator.points)


def rows(evaluation) -> list[Row]:
    """Every indicator of the evaluation's template with its data and score (3 queries)."""
    indicators = list(
        Indicator.objects.filter(dimension__template_id=evaluation.template_id)
        .select_related("dimension")
        .order_by("dimension__order", "order", "pk")
    )
    values = {v.key: v for v in SelfReportValue.objects.filter(report__evaluation_id=evaluation.pk)}
    stored = {s.indicator_id: s for s in IndicatorScore.objects.filter(evaluation=evaluation)}
    out = []
    for indicator in indicators:
        item = values.get(indicator.source_key) if indicator.source_key else None
        value = item.value if item else None
        target = item.target if item else None
        attainment, computed = None, None
        if indicator.rule == ScoringRule.ATTAINMENT:
            attainment, computed = attainment_score(indicator, value, target)
        out.append(Row(indicator, value, target, attainment, computed, stored.get(indicator.pk)))
    return out


def total(rows_: list[Row]) -> Decimal:
    return sum((r.score or Decimal("0") for r in rows_), Decimal("0")).quantize(CENT)


def _parse(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return "bad"


def save_scores(*, actor, evaluation_id: int, scores: dict, findings: str) -> bool:
    """Save the draft scores: ``scores`` maps indicator id to (score, note)."""
    with transaction.atomic():
        evaluation = lock(evaluation_id)
        require_evaluator(actor, evaluation)
        require_state(
            evaluation,
            EvaluationStatus.EVALUATING,
            doing=pgettext("cannot …", "change the scores (they are locked once submitted)"),
        )
        problems, changed = [], []
        for row in rows(evaluation):
            ind = row.indicator
            raw, note = scores.get(ind.pk, (None, ""))
            note = (note or "").strip()[:300]
            score = row.computed if row.by_rule else _parse(raw)
            if score == "bad" or (score is not None and not (0 <= score <= ind.points)):
                problems.append(
                    _("The score of “%(indicator)s” must be between 0 and %(points)s points.")
                    % {"indicator": ind.name, "points": ind.points}
                )
                continue
            item = row.stored or IndicatorScore(evaluation=evaluation, indicator=ind)
            if (item.score, item.note, item.attainment) != (score, note, row.attainment) or (
                item.pk is None
            ):
                item.score, item.note = score, note
                item.attainment, item.computed = row.attainment, row.by_rule
                changed.append(item)
        if problems:
            raise EvaluationError(problems)
        findings = (findings or "").strip()
        findings_changed = findings != evaluation.findings
        if not changed and not findings_changed:
            return False
        for item in changed:
            item.save()
        if findings_changed:
            evaluation.findings = findings
            evaluation.save(update_fields=["findings"])
        record(
            actor=actor,
            action="evaluations.scores_saved",
            target=evaluation,
            data={
                "label": "保存评分",
                "scores": {str(i.indicator_id): _plain(i.score) for i in changed},
            },
        )
    return True


def _plain(value):
    return str(value) if value is not None else None


def propose(*, actor, evaluation_id: int, report) -> None:
    """Submit the scores, the findings and the formal report; propose the grade."""
    with transaction.atomic():
        evaluation = lock(evaluation_id)
        require_evaluator(actor, evaluation)
        require_state(
            evaluation,
            EvaluationStatus.EVALUATING,
            doing=pgettext("cannot …", "submit the evaluation result"),
        )
        problems = []
        current = rows(evaluation)
        unscored = [r.indicator.name for r in current if r.score is None]
        if unscored:
            problems.append(
                _("These indicators are not scored yet: %(indicators)s.")
                % {"indicators": punct("、").join(unscored)}
            )
        if not evaluation.findings.strip():
            problems.append(_("Fill in the findings."))
        if report is None and not evaluation.report_file:
            problems.append(_("Upload the formal evaluation report (PDF)."))
        if report is not None:
            try:
                if check_upload(report, label=_("Formal evaluation report")) != "pdf":
                    problems.append(_("The formal evaluation report must be a PDF file."))
            except UploadRefused as exc:
                problems.append(str(exc))
        if problems:
            raise EvaluationError(problems)
        for row in current:  # the computed scores as shown, stored with the result
            if row.by_rule and (row.stored is None or row.stored.score != row.computed):
                IndicatorScore.objects.update_or_create(
                    evaluation=evaluation,
                    indicator=row.indicator,
                    defaults={
                        "score": row.computed,
                        "computed": True,
                        "attainment": row.attainment,
                    },
                )
        before = evaluation.status
        evaluation.total_score = total(current)
        evaluation.proposed_grade = evaluation.template.grade_for(evaluation.total_score)
        if report is not None:
            evaluation.report_file = report
            evaluation.report_name = report.name[:200]
        evaluation.proposed_at = timezone.now()
        evaluation.proposed_by = actor
        evaluation.propose()
        evaluation.save()
        record(
            actor=actor,
            action="evaluations.proposed",
            target=evaluation,
            from_state=before,
            to_state=evaluation.status,
            data={
                "label": f"提交评估结果：{evaluation.total_score}分，"
                f"建议等次{zh(evaluation.get_proposed_grade_display())}",
                "total": str(evaluation.total_score),
                "grade": evaluation.proposed_grade,
            },
        )
        notify_later(
            officers(),
            f"{evaluation.center.name}的评估结果已提交，待决定",
            f"建议等次：{zh(evaluation.get_proposed_grade_display())}",
            reverse("evaluations:detail", args=[evaluation.pk]),
        )


def hearing_candidates(evaluation):
    """(eligible experts, excluded [{name, reasons}]) for the evaluation's hearing."""
    center = evaluation.center
    found = parties(center)
    eligible, excluded = [], []
    experts = ExpertProfile.objects.select_related("user").prefetch_related("industry_fields")
    for expert in experts.order_by("pk"):
        reasons = conflict_reasons(
            expert,
            parties=found,
            field_id=None,
            avoid=[],
            field_ids={f.pk for f in expert.industry_fields.all()},
        )
        if reasons:
            excluded.append({"expert": expert.pk, "name": expert.name, "reasons": reasons})
        else:
            eligible.append(expert)
    return eligible, excluded


def record_hearing(
    *, actor, evaluation_id: int, held_on: dt.date, summary: str, expert_ids
) -> ExpertHearing:
    with transaction.atomic():
        evaluation = lock(evaluation_id)
        require_evaluator(actor, evaluation)
        require_state(
            evaluation,
            EvaluationStatus.EVALUATING,
            doing=pgettext("cannot …", "record the expert hearing"),
        )
        if ExpertHearing.objects.filter(evaluation=evaluation).exists():
            raise EvaluationError(_("The expert hearing of this evaluation is already recorded."))
        eligible, excluded = hearing_candidates(evaluation)
        allowed = {e.pk: e for e in eligible}
        wanted = {int(i) for i in expert_ids}
        problems = []
        for item in excluded:
            if item["expert"] in wanted:
                problems.append(
                    _("%(expert)s must stand aside: %(reasons)s.")
                    % {"expert": item["name"], "reasons": punct("；").join(item["reasons"])}
                )
        unknown = wanted - set(allowed) - {i["expert"] for i in excluded}
        if unknown:
            problems.append(_("An expert chosen is not in the expert pool."))
        if not wanted:
            problems.append(_("Choose at least one expert for the hearing."))
        if not (summary or "").strip():
            problems.append(_("Fill in the opinion of the hearing."))
        if held_on is None or held_on > timezone.localdate():
            problems.append(_("The date of the hearing cannot be after today."))
        if problems:
            raise EvaluationError(problems)
        hearing = ExpertHearing.objects.create(
            evaluation=evaluation,
            held_on=held_on,
            summary=summary.strip(),
            excluded=excluded,
            recorded_by=actor,
        )
        hearing.experts.set([allowed[i] for i in sorted(wanted)])
        record(
            actor=actor,
            action="evaluations.hearing_recorded",
            target=evaluation,
            data={"label": "记录专家评议", "experts": len(wanted), "excluded": len(excluded)},
        )
    return hearing
