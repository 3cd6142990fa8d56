"""Task providers of the expert review: panels to form and conclude (officers), invitations,
conflict declarations, scores and panel opinions (experts), improvements (applicants).

An applicant's task names the plan and the step only, never a panel member (DESIGN §2.2).
"""

from __future__ import annotations

from django.db.models import Case, Count, F, Max, Q, When
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.inbox import Task, local_date, rows_provider, shown
from accounts.inbox_topics import topic
from accounts.roles import EXPERT, user_roles
from applications.models import Application
from applications.queries import applications_of_applicant
from documents.languages import paren

from .models import Panel, PanelMember
from .selectors import is_officer, memberships_for

EXPERT_REVIEW = Application.Status.EXPERT_REVIEW


def _named(qs, *related: str):
    return shown(qs, "name", "status", "state_entered_at", *(f"{r}__name" for r in related))


@rows_provider("state_entered_at", reads=[topic(Application, EXPERT_REVIEW), topic(Panel)])
def panels_to_form(user):
    """Plans in expert review without a panel (the officers' panel list)."""
    if not is_officer(user):
        return None
    # the panel list's plans (its member counts are of no use to a plan without a panel)
    qs = _named(
        Application.objects.filter(status=Application.Status.EXPERT_REVIEW, panel__isnull=True),
        "organization",
    )

    def task(app) -> Task:
        return Task(
            kind=_("Expert panel to form"),
            title=f"{app.full_name}{paren(app.organization.name)}",
            url=reverse("reviews:panel_new", args=[app.pk]),
            since=local_date(app.state_entered_at),
        )

    return qs, task


@rows_provider("opinion_finalized_at", reads=[topic(Panel), topic(Application, EXPERT_REVIEW)])
def panels_to_conclude(user):
    """Open panels whose opinion the chair has signed: the officer concludes the review."""
    if not is_officer(user):
        return None
    qs = Panel.objects.filter(
        status=Panel.Status.OPEN, opinion_finalized_at__isnull=False
    ).select_related("application")
    qs = qs.only("opinion_finalized_at", "application__name", "application__status")

    def task(panel) -> Task:
        return Task(
            kind=_("Expert review to conclude"),
            title=panel.application.full_name,
            url=reverse("reviews:panel_detail", args=[panel.pk]),
            since=local_date(panel.opinion_finalized_at),
        )

    return qs, task


def _open_seats(user):
    if EXPERT not in user_roles(user):
        return None
    return (
        memberships_for(user=user)
        .filter(panel__status=Panel.Status.OPEN)
        .select_related(None)
        .select_related("panel__application")
        .only(
            "status",
            "invited_at",
            "responded_at",
            "no_conflict_declared_at",
            "panel__score_deadline",
            "panel__application__name",
            "panel__application__status",
        )
    )


def _seat_task(seat, kind, url_name, since) -> Task:
    return Task(
        kind=kind,
        title=seat.panel.application.full_name,
        url=reverse(url_name, args=[seat.pk]),
        since=local_date(since),
        deadline=seat.panel.score_deadline,
    )


@rows_provider("since_day", "panel__score_deadline", "seat_since")
def expert_seats(user):
    """The expert's own seats: invitations to answer, conflicts to declare, scores due."""
    seats = _open_seats(user)
    if seats is None:
        return None
    invited = PanelMember.Status.INVITED
    seats = seats.filter(
        Q(status=invited) | Q(status=PanelMember.Status.ACCEPTED, sheet__submitted_at__isnull=True)
    ).annotate(
        seat_since=Case(
            When(status=invited, then=F("invited_at")),
            When(
                no_conflict_declared_at__isnull=True,
                then=Coalesce("responded_at", "invited_at"),
            ),
            default=F("no_conflict_declared_at"),
        ),
        since_day=TruncDate("seat_since"),
    )

    def task(seat) -> Task:
        if seat.status == invited:
            kind, url_name = _("Review invitation to answer"), "reviews:member_detail"
        elif seat.no_conflict_declared_at is None:
            kind, url_name = _("Conflict of interest to declare"), "reviews:member_detail"
        else:
            kind, url_name = _("Scores due"), "reviews:member_score"
        return _seat_task(seat, kind, url_name, seat.seat_since)

    return seats, task


@rows_provider("last_day", "panel__score_deadline", "last_submitted")
def opinions_due(user):
    """The chair's panel opinion, due once every seat has submitted its scores."""
    seats = _open_seats(user)
    if seats is None:
        return None
    seats = (
        seats.filter(
            is_chair=True,
            status=PanelMember.Status.ACCEPTED,
            panel__opinion_finalized_at__isnull=True,
        )
        .annotate(
            active=Count(
                "panel__members",
                filter=Q(panel__members__status__in=PanelMember.ACTIVE),
                distinct=True,
            ),
            submitted=Count(
                "panel__members",
                filter=Q(
                    panel__members__status=PanelMember.Status.ACCEPTED,
                    panel__members__sheet__submitted_at__isnull=False,
                ),
                distinct=True,
            ),
            last_submitted=Max("panel__members__sheet__submitted_at"),
            last_day=TruncDate(Max("panel__members__sheet__submitted_at")),
        )
        .filter(active=F("panel__size"), submitted=F("panel__size"))
    )

    def task(seat) -> Task:
        return _seat_task(
            seat, _("Panel opinion due"), "reviews:member_opinion", seat.last_submitted
        )

    return seats, task


@rows_provider("state_entered_at", reads=[topic(Application, Application.Status.IMPROVING)])
def improvements_to_submit(user):
    """The applicant's plans to improve after the expert review (the panel opinion points)."""
    qs = (
        applications_of_applicant(user=user)
        .filter(status=Application.Status.IMPROVING)
        .order_by("pk")
    )

    def task(app) -> Task:
        return Task(
            kind=_("Improved plan to submit"),
            title=app.full_name,
            url=reverse("reviews:improve", args=[app.pk]),
            since=local_date(app.state_entered_at),
        )

    return qs, task


PROVIDERS = [
    panels_to_form,
    panels_to_conclude,
    expert_seats,
    opinions_due,
    improvements_to_submit,
]
