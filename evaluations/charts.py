"""Dashboard charts of the three-year evaluation (accounts/dashboard.py): the grades and the
outcomes the province decided, the evaluations in each step, and two rows of the shared
"overdue items" chart (self-reports past their deadline, rectifications past theirs)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.dashboard import Chart, labelled_counts

from .models import Evaluation, EvaluationStatus, Outcome, Rectification, RectificationStatus
from .models_indicators import Grade


def _grade_labels() -> dict:
    return {
        Grade.EXCELLENT: pgettext("evaluation grade", "Excellent"),
        Grade.GOOD: pgettext("evaluation grade", "Good"),
        Grade.PASS: pgettext("evaluation grade", "Pass"),
        Grade.FAIL: pgettext("evaluation grade", "Fail"),
    }


def _outcome_labels() -> dict:
    return {
        Outcome.RETAIN: _("Retained"),
        Outcome.RECTIFY: _("Rectification"),
        Outcome.REVOKE: _("Revoked"),
    }


def _step_labels() -> dict:
    return {
        EvaluationStatus.OPENED: _("Opened, to commission"),
        EvaluationStatus.COMMISSIONED: _("Commissioned, self-report due"),
        EvaluationStatus.SELF_REPORT: _("Self-report submitted"),
        EvaluationStatus.EVALUATING: _("Being evaluated"),
        EvaluationStatus.PROPOSED: _("Grade proposed, to decide"),
        EvaluationStatus.DECIDED: _("Decided"),
    }


def _evaluations(scope):
    return scope.narrow(Evaluation.objects.all(), "center__department")


def results(scope) -> list[Chart]:
    decided = _evaluations(scope).filter(status=EvaluationStatus.DECIDED).order_by()
    grades = decided.exclude(grade="").values_list("grade").annotate(n=Count("pk"))
    outcomes = decided.exclude(outcome="").values_list("outcome").annotate(n=Count("pk"))
    steps = _evaluations(scope).order_by().values_list("status").annotate(n=Count("pk"))
    return [
        Chart(
            key="evaluation-grades",
            title=_("Evaluation grades decided"),
            kind="pie",
            columns=(_("Evaluation grade"), _("Number of evaluations")),
            rows=labelled_counts(grades, _grade_labels()),
            order=70,
        ),
        Chart(
            key="evaluation-outcomes",
            title=_("Evaluation outcomes"),
            kind="bar",
            columns=(_("Evaluation outcome"), _("Number of evaluations")),
            rows=labelled_counts(outcomes, _outcome_labels()),
            order=71,
        ),
        Chart(
            key="evaluation-steps",
            title=_("Evaluations in each step"),
            kind="hbar",
            columns=(_("Evaluation step"), _("Number of evaluations")),
            rows=labelled_counts(steps, _step_labels()),
            order=72,
        ),
    ]


def overdue(scope) -> list[Chart]:
    today = timezone.localdate()
    late_reports = (
        _evaluations(scope)
        .filter(status=EvaluationStatus.COMMISSIONED, self_report_deadline__lt=today)
        .filter(Q(self_report__isnull=True) | Q(self_report__submitted_at__isnull=True))
        .count()
    )
    late_rectifications = scope.narrow(
        Rectification.objects.filter(status=RectificationStatus.REQUIRED, deadline__lt=today),
        "evaluation__center__department",
    ).count()
    return [
        Chart(
            key="overdue",
            title=_("Overdue items"),
            kind="hbar",
            columns=(_("Overdue item"), _("Number of items")),
            rows=(
                (_("Evaluation self-reports past their deadline"), late_reports),
                (_("Rectification reports past their deadline"), late_rectifications),
            ),
            order=60,
        )
    ]


PROVIDERS = [results, overdue]
