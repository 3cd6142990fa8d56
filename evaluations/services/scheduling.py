"""Opening evaluations (Art. 14): every active center, every three years.

The cycle counts from the designation date, then from the previous evaluation's decision;
an evaluation opens once the cycle's end comes within ``EVALUATIONS_OPEN_WINDOW_DAYS``.
One evaluation per center and cycle (a database constraint); the current indicator template
is locked first, so the beat task, a second run and an officer's button open each once.
:func:`open_due` runs a fixed number of queries whatever the number of centers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import APPLICANT, group_name
from audit.services import record, record_many
from centers.models import Center, CenterStatus
from evaluations.models import Evaluation, EvaluationStatus, IndicatorTemplate
from evaluations.services.common import (
    EvaluationError,
    active_users,
    notify_later,
    officers,
    require_officer,
)

CYCLE_YEARS = 3


def window_days() -> int:
    return int(getattr(settings, "EVALUATIONS_OPEN_WINDOW_DAYS", 90))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Cycle:
    number: int
    start: dt.date
    due: dt.date

    @property
    def years(self) -> list[int]:
        """The cycle's three report years, from the year it starts."""
        return [self.start.year + i for i in range(CYCLE_YEARS)]


def next_cycle(*, designated_on, last_cycle, last_decided_at) -> Cycle:
    if not last_cycle:
        start = designated_on
    else:
        start = timezone.localdate(last_decided_at) if last_decided_at else designated_on
    return Cycle(number=(last_cycle or 0) + 1, start=start, due=add_years(start, CYCLE_YEARS))


def _centers():
    """Active centers with their last cycle, last decision and open evaluations: one query."""
    return (
        Center.objects.filter(status=CenterStatus.ACTIVE)
        .only("pk", "name", "designated_on", "lead_organization_id")
        .annotate(
            last_cycle=Max("evaluations__cycle"),
            last_decided_at=Max("evaluations__decided_at"),
            open_count=Count(
                "evaluations", filter=~Q(evaluations__status=EvaluationStatus.DECIDED)
            ),
        )
        .order_by("pk")
    )


def current_template() -> IndicatorTemplate:
    """Lock the template new evaluations use (the lock serializes every opening)."""
    template = IndicatorTemplate.objects.select_for_update().filter(is_current=True).first()
    if template is None:
        raise EvaluationError(
            _("No indicator template is set for new evaluations; ask the system administrator.")
        )
    return template


def _freeze(template, now):
    if template.frozen_at is None:
        IndicatorTemplate.objects.filter(pk=template.pk).update(frozen_at=now)
        template.frozen_at = now


def _announce(evaluations, centers):
    org_ids = {c.lead_organization_id for c in centers}
    staff = active_users(groups__name=group_name(APPLICANT), organization_id__in=org_ids)
    notify_later(
        staff,
        "贵中心的三年绩效评估已启动",
        "省科技厅将委托第三方评估机构开展评估，请按通知准备自评报告。",
        reverse("evaluations:list"),
    )
    notify_later(
        officers(),
        f"{len(evaluations)}个中心的三年绩效评估已启动，待委托评估机构",
        "、".join(c.name for c in centers[:20]) + ("等" if len(centers) > 20 else ""),
        reverse("evaluations:list") + "?status=opened",
    )


def open_due(*, actor=None, today: dt.date | None = None) -> list[Evaluation]:
    """Open the evaluation of every active center whose cycle comes due within the window.

    Idempotent; revoked and rectifying centers and centers with an open evaluation get none."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=window_days())
    now = timezone.now()
    with transaction.atomic():
        template = current_template()
        due, centers = [], []
        for center in _centers():
            if center.open_count:
                continue
            cycle = next_cycle(
                designated_on=center.designated_on,
                last_cycle=center.last_cycle,
                last_decided_at=center.last_decided_at,
            )
            if cycle.due > horizon:
                continue
            centers.append(center)
            due.append(
                Evaluation(
                    center=center,
                    cycle=cycle.number,
                    period_start=cycle.start,
                    due_on=cycle.due,
                    years=cycle.years,
                    template=template,
                    opened_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            )
        if not due:
            return []
        Evaluation.objects.bulk_create(due, batch_size=500)
        wanted = {(e.center_id, e.cycle): e for e in due}
        created = Evaluation.objects.filter(
            status=EvaluationStatus.OPENED, center_id__in=[c.pk for c in centers]
        ).values_list("pk", "center_id", "cycle")
        for pk, center_id, cycle in created:
            if (center_id, cycle) in wanted:
                wanted[(center_id, cycle)].pk = pk
        opened = [e for e in due if e.pk]
        _freeze(template, now)
        record_many(
            actor=actor,
            action="evaluations.opened",
            targets=opened,
            to_state=EvaluationStatus.OPENED,
            data_for=lambda e: {
                "label": f"启动第{e.cycle}周期三年绩效评估（{e.years[0]}—{e.years[-1]}年）",
                "due_on": e.due_on.isoformat(),
            },
        )
        _announce(opened, centers)
    return opened


def open_evaluation(*, actor, center_id: int, today: dt.date | None = None) -> Evaluation:
    """An officer opens the next evaluation of one center by hand (also before it is due)."""
    require_officer(actor)
    with transaction.atomic():
        template = current_template()
        Center.objects.select_for_update().filter(pk=center_id).values_list("pk").first()
        center = _centers().filter(pk=center_id).first()
        if center is None:
            status = Center.objects.filter(pk=center_id).values_list("status", flat=True).first()
            if status is None:
                raise EvaluationError(_("This center does not exist."))
            raise EvaluationError(
                _("This center is revoked or rectifying; a new evaluation cannot be opened.")
            )
        if center.open_count:
            raise EvaluationError(
                _("This center already has an evaluation under way; do not open another.")
            )
        cycle = next_cycle(
            designated_on=center.designated_on,
            last_cycle=center.last_cycle,
            last_decided_at=center.last_decided_at,
        )
        evaluation = Evaluation.objects.create(
            center=center,
            cycle=cycle.number,
            period_start=cycle.start,
            due_on=cycle.due,
            years=cycle.years,
            template=template,
            opened_by=actor,
        )
        _freeze(template, timezone.now())
        record(
            actor=actor,
            action="evaluations.opened",
            target=evaluation,
            to_state=evaluation.status,
            data={
                "label": f"启动第{cycle.number}周期三年绩效评估（{cycle.years[0]}—{cycle.years[-1]}年）",
                "due_on": cycle.due.isoformat(),
            },
        )
        _announce([evaluation], [center])
    return evaluation
