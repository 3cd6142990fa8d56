"""Opening evaluations (Art. 14): the three-year cycle, the window, once per center and
cycle, revoked centers none, a fixed number of queries whatever the number of centers."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from evaluations.models import Evaluation, IndicatorTemplate
from evaluations.services import scheduling
from evaluations.services.common import EvaluationError
from tests.evaluations.factories import make_center
from tests.factories import officer

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

DESIGNATED = dt.date(2023, 12, 1)


def _day_the_window_reaches(due: dt.date) -> dt.date:
    return due - dt.timedelta(days=scheduling.window_days())


def test_center_designated_2023_12_01_gets_one_evaluation_when_the_window_reaches_2026_12_01():
    center, _ = make_center(designated_on=DESIGNATED)
    reach = _day_the_window_reaches(dt.date(2026, 12, 1))
    assert scheduling.open_due(today=reach - dt.timedelta(days=1)) == []
    opened = scheduling.open_due(today=reach)
    assert [e.center_id for e in opened] == [center.pk]
    evaluation = Evaluation.objects.get(center=center)
    assert (evaluation.cycle, evaluation.period_start, evaluation.due_on) == (
        1,
        DESIGNATED,
        dt.date(2026, 12, 1),
    )
    assert evaluation.years == [2023, 2024, 2025]
    assert evaluation.status == "opened"
    assert evaluation.template.frozen
    assert (
        AuditEvent.objects.filter(action="evaluations.opened", target_id=str(evaluation.pk)).count()
        == 1
    )
    # running it again (the next day, or twice the same day) changes nothing
    assert scheduling.open_due(today=reach) == []
    assert scheduling.open_due(today=dt.date(2026, 12, 1)) == []
    assert Evaluation.objects.filter(center=center).count() == 1


def test_revoked_and_rectifying_centers_get_none():
    make_center(designated_on=DESIGNATED, status="revoked")
    make_center(designated_on=DESIGNATED, status="rectifying")
    assert scheduling.open_due(today=dt.date(2026, 12, 1)) == []
    assert Evaluation.objects.count() == 0


def test_the_next_cycle_counts_from_the_decision(frozen_clock):
    center, _ = make_center(designated_on=DESIGNATED)
    (first,) = scheduling.open_due(today=dt.date(2026, 12, 1))
    decided = dt.datetime(2027, 3, 10, 10, 0, tzinfo=dt.UTC)
    Evaluation.objects.filter(pk=first.pk).update(
        status="decided", outcome="retain", grade="good", decided_at=decided
    )
    assert scheduling.open_due(today=dt.date(2029, 12, 1)) == []
    (second,) = scheduling.open_due(today=_day_the_window_reaches(dt.date(2030, 3, 10)))
    assert (second.cycle, second.period_start, second.years) == (
        2,
        dt.date(2027, 3, 10),
        [2027, 2028, 2029],
    )


def test_one_evaluation_per_center_and_cycle_is_a_database_rule():
    center, _ = make_center()
    (evaluation,) = scheduling.open_due(today=dt.date(2026, 12, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Evaluation.objects.create(
            center=center,
            cycle=1,
            period_start=DESIGNATED,
            due_on=evaluation.due_on,
            template=evaluation.template,
        )


def _queries(n):
    for _ in range(n):
        make_center(designated_on=DESIGNATED, staff=False)
    with CaptureQueriesContext(connection) as ctx:
        opened = scheduling.open_due(today=dt.date(2026, 12, 1))
    assert len(opened) == n
    return len(ctx.captured_queries)


def test_scheduling_query_count_does_not_depend_on_the_number_of_centers():
    IndicatorTemplate.objects.update(frozen_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    one = _queries(1)
    many = _queries(25)  # the first center (with its open evaluation) is read and skipped
    assert many == one, (one, many)
    assert Evaluation.objects.count() == 26


def test_officer_opens_one_by_hand_once_and_not_for_a_revoked_center():
    center, _ = make_center(designated_on=dt.date(2025, 6, 1))
    revoked, _ = make_center(status="revoked")
    actor = officer()
    evaluation = scheduling.open_evaluation(actor=actor, center_id=center.pk)
    assert evaluation.cycle == 1 and evaluation.opened_by == actor
    with pytest.raises(EvaluationError, match="已有进行中的评估"):
        scheduling.open_evaluation(actor=actor, center_id=center.pk)
    with pytest.raises(EvaluationError, match="已被撤销或正在整改"):
        scheduling.open_evaluation(actor=actor, center_id=revoked.pk)
    # the beat task later leaves it alone
    assert scheduling.open_due(today=dt.date(2028, 6, 1)) == []


def test_the_beat_task_is_scheduled_and_runs_the_service(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["evaluations-open-due"]
    assert entry["task"] == "evaluations.tasks.open_due_evaluations"
    from evaluations.tasks import open_due_evaluations

    center, _ = make_center()
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0), tick=False):
        assert open_due_evaluations.apply(args=["2026-12-01"]).get() == [
            Evaluation.objects.get(center=center).pk
        ]
        assert open_due_evaluations.apply(args=["2026-12-01"]).get() == []
