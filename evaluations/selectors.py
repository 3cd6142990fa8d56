"""Reads of evaluations: which evaluations a user sees, the lists of every role, the
officers' lists (priority support, overdue self-reports) and the public results."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import objects_for
from accounts.roles import EVALUATOR
from centers.selectors_center import kept_centers, sees_all, visible_centers

from .models import Evaluation, EvaluationStatus, Outcome, Rectification, RectificationStatus


def _base():
    return Evaluation.objects.select_related(
        "center__lead_organization", "center__department", "institution", "credit_check"
    )


def assigned(user):
    """Evaluations commissioned to the user's institution (object permission)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role(EVALUATOR):
        return Evaluation.objects.none()
    return objects_for(user, "evaluations.view_evaluation", _base())


def visible(user):
    """The province all; an evaluator its assigned ones; a center's staff and its organizing
    department the evaluations of the centers they see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Evaluation.objects.none()
    if sees_all(user):
        return _base()
    mine = Q(center__in=visible_centers(user).values("pk"))
    if user.has_role(EVALUATOR):
        mine |= Q(pk__in=assigned(user).values("pk"))
    return _base().filter(mine)


def evaluation_for(user, pk: int) -> Evaluation:
    evaluation = visible(user).filter(pk=pk).first()
    if evaluation is None:
        raise Http404("No such evaluation.")
    return evaluation


def of_kept_centers(user):
    return _base().filter(center__in=kept_centers(user).values("pk"))


def filtered(queryset, *, status="", grade="", q=""):
    if status:
        queryset = queryset.filter(status=status)
    if grade:
        queryset = queryset.filter(grade=grade)
    if q:
        queryset = queryset.filter(Q(center__name__icontains=q) | Q(center__number__icontains=q))
    return queryset


def self_reports_overdue(user, today=None):
    today = today or timezone.localdate()
    return visible(user).filter(
        status=EvaluationStatus.COMMISSIONED, self_report_deadline__lt=today
    )


def rectifications(user):
    return Rectification.objects.select_related("evaluation__center").filter(
        evaluation__in=visible(user).values("pk")
    )


def rectifications_to_follow_up(user):
    return rectifications(user).filter(status=RectificationStatus.REPORTED)


def priority_support(user):
    """Centers graded 优秀 and retained: priority support, recommended to the national level."""
    return visible(user).filter(priority_support=True).order_by("-decided_at")


def history(center):
    """Every evaluation of a center, with its rectification (center page)."""
    return (
        Evaluation.objects.filter(center=center)
        .select_related("institution", "rectification")
        .order_by("-cycle")
    )


def result_rounds() -> list[int]:
    """The years in which evaluations were decided (one public results notice each)."""
    years = Evaluation.objects.filter(status=EvaluationStatus.DECIDED).datetimes(
        "decided_at", "year", order="DESC"
    )
    return [d.year for d in years]


def results(year: int):
    """Decided evaluations of one round: center, grade, outcome (public)."""
    return (
        Evaluation.objects.filter(status=EvaluationStatus.DECIDED, decided_at__year=year)
        .select_related("center", "rectification")
        .order_by("center__number")
    )


def final_outcome(evaluation) -> str:
    """The outcome as the public notice states it (a rectification names its follow-up)."""
    if evaluation.outcome != Outcome.RECTIFY:
        return evaluation.get_outcome_display()
    item = getattr(evaluation, "rectification", None)
    if item is None or not item.follow_up_outcome:
        return _("Rectification within a deadline")
    return _("After rectification: %(outcome)s") % {"outcome": item.get_follow_up_outcome_display()}
