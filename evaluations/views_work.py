"""The commissioned institution's pages (my assigned evaluations, scoring, the expert
hearing) and the center's (self-report, rectification report)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.feedback import form_errors
from accounts.permissions import require_role
from accounts.roles import EVALUATOR

from . import selectors
from .forms import HearingForm, RectificationReportForm, ScoreForm, SelfReportForm
from .models import EvaluationFile, EvaluationStatus
from .services import decisions, scoring, self_reports
from .services.common import EvaluationError, require_evaluator


@require_role(EVALUATOR)
def assigned(request):
    rows = list(selectors.assigned(request.user).order_by("evaluation_deadline", "pk"))
    return render(request, "evaluations/assigned.html", {"rows": rows})


@require_role(EVALUATOR)
@require_http_methods(["GET", "POST"])
def score(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    require_evaluator(request.user, evaluation)
    if evaluation.status != EvaluationStatus.EVALUATING:
        messages.info(
            request, _("This evaluation is not being scored now (the scores lock once submitted).")
        )
        return redirect("evaluations:detail", pk=evaluation.pk)
    rows = scoring.rows(evaluation)
    initial = {"findings": evaluation.findings}
    for row in rows:
        if row.stored:
            initial[f"score_{row.indicator.pk}"] = row.stored.score
            initial[f"note_{row.indicator.pk}"] = row.stored.note
    form = ScoreForm(request.POST or None, request.FILES or None, rows=rows, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = scoring.save_scores(
                actor=request.user,
                evaluation_id=evaluation.pk,
                scores=form.scores(),
                findings=form.cleaned_data["findings"],
            )
            if "submit" in request.POST:
                scoring.propose(
                    actor=request.user,
                    evaluation_id=evaluation.pk,
                    report=form.cleaned_data.get("report"),
                )
                messages.success(request, _("Evaluation result submitted; the scores are locked."))
                return redirect("evaluations:detail", pk=evaluation.pk)
        except EvaluationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Scores saved.") if changed else _("Nothing changed."))
            return redirect("evaluations:score", pk=evaluation.pk)
    return render(
        request,
        "evaluations/score.html",
        {
            "evaluation": evaluation,
            "form": form,
            "rows": form.bound_rows(),
            "total": scoring.total(rows),
            "credit": getattr(evaluation, "credit_check", None),
            "values": list(evaluation.self_report.values.all()),
            "files": list(evaluation.files.filter(part=EvaluationFile.Part.SELF_REPORT)),
        },
    )


@require_role(EVALUATOR)
@require_http_methods(["GET", "POST"])
def hearing(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    require_evaluator(request.user, evaluation)
    eligible, excluded = scoring.hearing_candidates(evaluation)
    form = HearingForm(request.POST or None, experts=eligible)
    if request.method == "POST" and form.is_valid():
        try:
            scoring.record_hearing(
                actor=request.user,
                evaluation_id=evaluation.pk,
                held_on=form.cleaned_data["held_on"],
                summary=form.cleaned_data["summary"],
                expert_ids=form.cleaned_data["experts"],
            )
        except EvaluationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Expert hearing recorded."))
            return redirect("evaluations:detail", pk=evaluation.pk)
    return render(
        request,
        "evaluations/hearing.html",
        {"evaluation": evaluation, "form": form, "excluded": excluded},
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_report(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    if not self_reports.can_report(request.user, evaluation):
        raise PermissionDenied(
            _("Only the staff of the center's lead organization can fill in the self-report.")
        )
    if evaluation.status != EvaluationStatus.COMMISSIONED:
        return redirect("evaluations:detail", pk=evaluation.pk)
    report = self_reports.prefill(evaluation)
    values = list(report.values.all())
    initial = {"self_assessment": report.self_assessment}
    for row in values:
        initial[f"value_{row.key}"] = row.value
        initial[f"reason_{row.key}"] = row.reason
    form = SelfReportForm(
        request.POST or None, request.FILES or None, values=values, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("files")
        try:
            changed = self_reports.save_self_report(
                actor=request.user,
                evaluation_id=evaluation.pk,
                self_assessment=form.cleaned_data["self_assessment"],
                values=form.values(),
                uploads=[upload] if upload else [],
            )
            if "submit" in request.POST:
                self_reports.submit_self_report(actor=request.user, evaluation_id=evaluation.pk)
                messages.success(request, _("Self-report submitted."))
                return redirect("evaluations:detail", pk=evaluation.pk)
        except EvaluationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, _("The draft is saved.") if changed else _("Nothing changed.")
            )
            return redirect("evaluations:self_report", pk=evaluation.pk)
    return render(
        request,
        "evaluations/self_report.html",
        {
            "evaluation": evaluation,
            "form": form,
            "rows": form.bound_rows(),
            "files": list(evaluation.files.filter(part=EvaluationFile.Part.SELF_REPORT)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rectification_report(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    if not self_reports.can_report(request.user, evaluation):
        raise PermissionDenied(
            _(
                "Only the staff of the center's lead organization can submit the rectification report."
            )
        )
    form = RectificationReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("files")
        try:
            decisions.submit_rectification(
                actor=request.user,
                evaluation_id=evaluation.pk,
                report=form.cleaned_data["report"],
                uploads=[upload] if upload else [],
            )
        except EvaluationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Rectification report submitted; the provincial department will follow it up."),
            )
            return redirect("evaluations:detail", pk=evaluation.pk)
    return render(
        request,
        "evaluations/form.html",
        {
            "evaluation": evaluation,
            "form": form,
            "title": _("Rectification report"),
            "action": "evaluations:rectification",
            "rectification": getattr(evaluation, "rectification", None),
        },
    )
