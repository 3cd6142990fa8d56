"""My tasks of the three-year evaluation (accounts.inbox): evaluations to commission and to
decide and rectifications to follow up (the province), self-reports and rectification reports
due (the center's staff), scores due (the commissioned institution's evaluators). The same
selectors as the list pages; a fixed number of queries whatever the number of items."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.inbox import Task, local_date
from accounts.roles import EVALUATOR, PROVINCIAL_OFFICER, user_roles

from . import selectors
from .models import EvaluationStatus, RectificationStatus


def for_the_province(user) -> list[Task]:
    if PROVINCIAL_OFFICER not in user_roles(user):
        return []
    tasks = []
    rows = selectors.visible(user).filter(
        status__in=[EvaluationStatus.OPENED, EvaluationStatus.PROPOSED]
    )
    for e in rows.order_by("due_on", "pk"):
        opened = e.status == EvaluationStatus.OPENED
        tasks.append(
            Task(
                kind=_("Evaluation to commission") if opened else _("Evaluation to decide"),
                title=e.center.name,
                url=reverse("evaluations:commission") + f"?evaluation={e.pk}"
                if opened
                else reverse("evaluations:detail", args=[e.pk]),
                since=local_date(e.opened_at if opened else e.proposed_at),
            )
        )
    for item in selectors.rectifications_to_follow_up(user):
        tasks.append(
            Task(
                kind=_("Rectification to follow up"),
                title=item.evaluation.center.name,
                url=reverse("evaluations:detail", args=[item.evaluation_id]),
                since=local_date(item.reported_at),
            )
        )
    return tasks


def for_the_center(user) -> list[Task]:
    if not getattr(user, "organization_id", None):
        return []
    tasks = []
    rows = selectors.of_kept_centers(user).filter(status=EvaluationStatus.COMMISSIONED)
    for e in rows.order_by("self_report_deadline", "pk"):
        tasks.append(
            Task(
                kind=_("Self-report due"),
                title=e.center.name,
                url=reverse("evaluations:self_report", args=[e.pk]),
                since=local_date(e.commissioned_at),
                deadline=e.self_report_deadline,
            )
        )
    kept = selectors.of_kept_centers(user).values("pk")
    for item in selectors.rectifications(user).filter(
        status=RectificationStatus.REQUIRED, evaluation__in=kept
    ):
        tasks.append(
            Task(
                kind=_("Rectification report due"),
                title=item.evaluation.center.name,
                url=reverse("evaluations:rectification", args=[item.evaluation_id]),
                since=local_date(item.created_at),
                deadline=item.deadline,
            )
        )
    return tasks


def for_the_institution(user) -> list[Task]:
    if EVALUATOR not in user_roles(user):
        return []
    rows = selectors.assigned(user).filter(status=EvaluationStatus.EVALUATING)
    return [
        Task(
            kind=_("Evaluation to score"),
            title=e.center.name,
            url=reverse("evaluations:score", args=[e.pk]),
            since=local_date(e.commissioned_at),
            deadline=e.evaluation_deadline,
        )
        for e in rows.order_by("evaluation_deadline", "pk")
    ]


PROVIDERS = [for_the_province, for_the_center, for_the_institution]
