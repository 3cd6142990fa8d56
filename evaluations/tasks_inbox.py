"""My tasks of the three-year evaluation (accounts.inbox): evaluations to commission and to
decide and rectifications to follow up (the province), self-reports and rectification reports
due (the center's staff), scores due (the commissioned institution's evaluators). The same
selectors as the list pages; one query a provider whatever the number of items
(accounts.inbox.rows_provider)."""

from __future__ import annotations

from django.db.models import Case, F, When
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.inbox import Task, local_date, rows_provider
from accounts.inbox_topics import topic
from accounts.roles import EVALUATOR, PROVINCIAL_OFFICER, user_roles
from centers.selectors_center import CENTER_ACCESS

from . import selectors
from .models import Evaluation, EvaluationStatus, Rectification, RectificationStatus


def _named(qs):
    """A task shows the center's name only, never the evaluation's scores and reports."""
    return qs.select_related(None).select_related("center")


@rows_provider("since_day", "step_since", reads=[topic(Evaluation), CENTER_ACCESS])
def evaluations_to_commission_or_decide(user):
    if PROVINCIAL_OFFICER not in user_roles(user):
        return None
    opened = EvaluationStatus.OPENED
    rows = (
        _named(selectors.visible(user))
        .filter(status__in=[opened, EvaluationStatus.PROPOSED])
        .only("status", "opened_at", "proposed_at", "center__name")
        .annotate(
            step_since=Case(When(status=opened, then=F("opened_at")), default=F("proposed_at")),
            since_day=TruncDate("step_since"),
        )
    )

    def task(e) -> Task:
        if e.status == opened:
            kind = _("Evaluation to commission")
            url = reverse("evaluations:commission") + f"?evaluation={e.pk}"
        else:
            kind, url = _("Evaluation to decide"), reverse("evaluations:detail", args=[e.pk])
        return Task(kind=kind, title=e.center.name, url=url, since=local_date(e.step_since))

    return rows, task


@rows_provider("reported_at", reads=[topic(Rectification), topic(Evaluation), CENTER_ACCESS])
def rectifications_to_follow_up(user):
    if PROVINCIAL_OFFICER not in user_roles(user):
        return None
    items = selectors.rectifications_to_follow_up(user).only(
        "evaluation_id", "reported_at", "evaluation__center__name"
    )

    def task(item) -> Task:
        return Task(
            kind=_("Rectification to follow up"),
            title=item.evaluation.center.name,
            url=reverse("evaluations:detail", args=[item.evaluation_id]),
            since=local_date(item.reported_at),
        )

    return items, task


@rows_provider("commissioned_day", "self_report_deadline", "commissioned_at")
def self_reports_due(user):
    if not getattr(user, "organization_id", None):
        return None
    rows = (
        _named(selectors.of_kept_centers(user))
        .filter(status=EvaluationStatus.COMMISSIONED)
        .only("commissioned_at", "self_report_deadline", "center__name")
        .annotate(commissioned_day=TruncDate("commissioned_at"))
    )

    def task(e) -> Task:
        return Task(
            kind=_("Self-report due"),
            title=e.center.name,
            url=reverse("evaluations:self_report", args=[e.pk]),
            since=local_date(e.commissioned_at),
            deadline=e.self_report_deadline,
        )

    return rows, task


@rows_provider("created_day", "deadline", "created_at")
def rectification_reports_due(user):
    if not getattr(user, "organization_id", None):
        return None
    kept = selectors.of_kept_centers(user).values("pk")
    items = (
        selectors.rectifications(user)
        .filter(status=RectificationStatus.REQUIRED, evaluation__in=kept)
        .only("evaluation_id", "created_at", "deadline", "evaluation__center__name")
        .annotate(created_day=TruncDate("created_at"))
    )

    def task(item) -> Task:
        return Task(
            kind=_("Rectification report due"),
            title=item.evaluation.center.name,
            url=reverse("evaluations:rectification", args=[item.evaluation_id]),
            since=local_date(item.created_at),
            deadline=item.deadline,
        )

    return items, task


@rows_provider("commissioned_day", "evaluation_deadline", "commissioned_at")
def for_the_institution(user):
    if EVALUATOR not in user_roles(user):
        return None
    rows = (
        _named(selectors.assigned(user))
        .filter(status=EvaluationStatus.EVALUATING)
        .only("commissioned_at", "evaluation_deadline", "center__name")
        .annotate(commissioned_day=TruncDate("commissioned_at"))
    )

    def task(e) -> Task:
        return Task(
            kind=_("Evaluation to score"),
            title=e.center.name,
            url=reverse("evaluations:score", args=[e.pk]),
            since=local_date(e.commissioned_at),
            deadline=e.evaluation_deadline,
        )

    return rows, task


PROVIDERS = [
    evaluations_to_commission_or_decide,
    rectifications_to_follow_up,
    self_reports_due,
    rectification_reports_due,
    for_the_institution,
]
