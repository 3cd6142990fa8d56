"""Dashboard charts of the plans (accounts/dashboard.py): by state, and the average working
days a plan spends in each step of the graph."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.dashboard import Chart, labelled_counts
from accounts.inbox import local_date
from audit.models import AuditEvent

from .models import Application, Status

# The steps a plan waits in (DESIGN §2), in the order of the graph.
STEPS = [
    Status.DEPT_REVIEW,
    Status.RETURNED,
    Status.PROVINCE_RECHECK,
    Status.EXPERT_REVIEW,
    Status.IMPROVING,
    Status.AWAITING_MEETING,
    Status.PUBLICITY,
]


def plans(scope):
    return scope.narrow(Application.objects.exclude(status=Status.DRAFT), "department")


def plans_by_state(scope) -> list[Chart]:
    rows = plans(scope).order_by().values_list("status").annotate(n=Count("pk"))
    labels = {s.value: s.label for s in Status if s != Status.DRAFT}
    return [
        Chart(
            key="plans-by-state",
            title=_("Plans by state"),
            kind="bar",
            columns=(pgettext("chart column", "State"), _("Number of plans")),
            rows=labelled_counts(rows, labels),
            note=_("The step each submitted plan (drafts excluded) is in now."),
            order=10,
        )
    ]


def days_per_step(scope) -> list[Chart]:
    """From the audit events: each stay in a step ends with the next state change of the same
    plan; stays not yet ended are not counted. Working days by the calendar (workdays); a
    stay in a year the calendar does not know is left out."""
    from workdays.services import working_days_of_spans

    ids = plans(scope).annotate(key=Cast("pk", output_field=CharField())).values("key")
    events = (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Application),
            target_id__in=ids,
        )
        .exclude(to_state="")
        .order_by("target_id", "created_at", "pk")
        .values_list("target_id", "to_state", "created_at")
    )
    stays: list[tuple[str, object, object]] = []
    last: dict[str, tuple[str, object]] = {}
    for target, state, at in events:
        if target in last:
            prev_state, since = last[target]
            stays.append((prev_state, local_date(since), local_date(at)))
        last[target] = (state, at)
    days = working_days_of_spans({(start, end) for _s, start, end in stays})
    totals: dict[str, list[int]] = defaultdict(list)
    for state, start, end in stays:
        if days.get((start, end)) is not None:
            totals[state].append(days[(start, end)])
    rows = []
    for step in STEPS:
        values = totals.get(step.value, [])
        average = round(sum(values) / len(values), 1) if values else None
        rows.append((str(step.label), average, len(values)))
    return [
        Chart(
            key="days-per-step",
            title=_("Average time in each step (working days)"),
            kind="bar",
            columns=(_("Step"), _("Average working days"), _("Stays completed")),
            rows=tuple(rows),
            note=_(
                "Working days from entering a step to leaving it, by the State Council's holiday"
                " calendar; stays not yet ended are not counted."
            ),
            order=40,
            drawn=1,
        )
    ]


PROVIDERS = [plans_by_state, days_per_step]
