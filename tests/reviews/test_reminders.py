"""Score reminders: due in two days to the expert, overdue to the officer, once per deadline."""

import datetime as dt

import pytest
from django.utils import timezone

from notifications.models import Message
from reviews.models import Panel, ReminderLog
from reviews.services import reminders, scoring
from reviews.tasks import send_score_reminders

from .factories import accept_all, form_panel, plan_in_expert_review, pool


def _panel_due_in(days, officer_user, app=None):
    app = app or plan_in_expert_review()
    panel = form_panel(app, officer_user, deadline_days=0)
    Panel.objects.filter(pk=panel.pk).update(
        score_deadline=timezone.localdate() + dt.timedelta(days=days)
    )
    panel.refresh_from_db()
    return panel


@pytest.mark.django_db
def test_reminders_are_sent_once_per_member_and_deadline(officer_user):
    pool(technical=3, management=1, financial=1)
    panel = _panel_due_in(2, officer_user)
    members = accept_all(panel)
    first = members[0]
    crit = {c.pk: c.max_points for c in panel.template.criteria.all()}
    scoring.score_save(
        actor=first.expert.user,
        member_id=first.pk,
        scores=crit,
        opinion="好",
        recommendation="pass",
        submit=True,
    )

    sent = reminders.send_score_reminders()
    assert sent == {"due_soon": 4, "overdue": 0}
    assert Message.objects.filter(subject__startswith="评分即将截止").count() == 4
    assert not Message.objects.filter(
        recipient=first.expert.user, subject__startswith="评分即将截止"
    ).exists()
    # idempotent
    assert reminders.send_score_reminders() == {"due_soon": 0, "overdue": 0}
    assert ReminderLog.objects.count() == 4

    # three days later the deadline has passed: the officer hears of each missing sheet, once
    later = timezone.localdate() + dt.timedelta(days=3)
    assert reminders.send_score_reminders(today=later) == {"due_soon": 0, "overdue": 4}
    assert reminders.send_score_reminders(today=later) == {"due_soon": 0, "overdue": 0}
    assert (
        Message.objects.filter(recipient=officer_user, subject__startswith="专家评分已逾期").count()
        == 4
    )

    # a new deadline is a new reminder
    Panel.objects.filter(pk=panel.pk).update(score_deadline=later + dt.timedelta(days=1))
    assert reminders.send_score_reminders(today=later)["due_soon"] == 4


@pytest.mark.django_db
def test_far_deadlines_are_not_reminded(officer_user):
    pool(technical=3, management=1, financial=1)
    _panel_due_in(5, officer_user)
    assert reminders.send_score_reminders() == {"due_soon": 0, "overdue": 0}


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_beat_task_idempotently(celery_worker_process):
    from tests.factories import officer

    officer_user = officer(username="officer_worker")
    pool(technical=3, management=1, financial=1)
    _panel_due_in(1, officer_user)

    assert send_score_reminders.delay().get(timeout=60) == {"due_soon": 5, "overdue": 0}
    assert ReminderLog.objects.count() == 5
    assert Message.objects.filter(subject__startswith="评分即将截止").count() == 5
    assert send_score_reminders.delay().get(timeout=60) == {"due_soon": 0, "overdue": 0}
    assert ReminderLog.objects.count() == 5
