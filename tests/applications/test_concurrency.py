"""Two officers deciding the same plan at the same moment: one wins, the other is told."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction
from django.urls import reverse
from django_fsm import ConcurrentTransition

from applications.models import Application
from applications.services import TransitionError, application_transition
from audit.models import AuditEvent
from tests.applications.review_factories import plan_in_recheck
from tests.factories import officer


def decision_events(app):
    return AuditEvent.objects.filter(
        target_id=str(app.pk), action__in=["application.pass_recheck", "application.return_plan"]
    )


@pytest.mark.django_db
def test_second_officer_on_a_stale_page_gets_a_clear_message(client):
    app = plan_in_recheck()
    a, b = officer(username="officer_a"), officer(username="officer_b")
    url = reverse("applications:review_detail", args=[app.pk])
    from django.test import Client

    client_a, client_b = Client(), Client()
    client_a.force_login(a)
    client_b.force_login(b)
    # both load the page while the plan awaits re-check
    for c in (client_a, client_b):
        assert 'name="expected_status" value="province_recheck"' in c.get(url).content.decode()

    won = client_a.post(url, {"action": "pass_recheck", "expected_status": "province_recheck"})
    lost = client_b.post(
        url,
        {"action": "return_plan", "opinion": "请补充材料。", "expected_status": "province_recheck"},
    )

    assert won.status_code == 302
    assert lost.status_code == 200
    body = lost.content.decode()
    assert "该申报已被他人处理，当前状态为「专家论证」" in body or "该申报已被他人处理" in body
    assert "请补充材料。" in body  # B's reasons are kept (in the message)
    # the page shows the plan as it is now, without the stale decision form
    assert "review-decision" not in body and 'name="expected_status"' not in body
    assert "专家论证" in body
    app.refresh_from_db()
    assert app.status == "expert_review"
    assert list(decision_events(app).values_list("action", "actor__username")) == [
        ("application.pass_recheck", "officer_a")
    ]


@pytest.mark.django_db
def test_stale_in_memory_instance_cannot_overwrite_the_decision():
    app = plan_in_recheck()
    first = Application.objects.get(pk=app.pk)
    second = Application.objects.get(pk=app.pk)

    first.pass_recheck()
    first.save()
    second._decision_reason = "晚了一步"
    second.return_plan()
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second.save()

    assert Application.objects.get(pk=app.pk).status == "expert_review"


@pytest.mark.django_db
def test_service_refuses_a_decision_for_a_state_that_has_passed():
    app = plan_in_recheck()
    a, b = officer(), officer()
    application_transition(
        actor=a,
        application_id=app.pk,
        transition="pass_recheck",
        expected_status="province_recheck",
    )

    with pytest.raises(TransitionError) as err:
        application_transition(
            actor=b,
            application_id=app.pk,
            transition="return_plan",
            reason="请补充材料。",
            expected_status="province_recheck",
        )
    assert "该申报已被他人处理" in err.value.messages[0]
    with pytest.raises(TransitionError) as err:  # without expected_status: the state decides
        application_transition(
            actor=b, application_id=app.pk, transition="reject", reason="不予通过"
        )
    assert "不能执行此操作" in err.value.messages[0]
    assert decision_events(app).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_in_two_threads_one_wins():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads cannot share an in-memory SQLite database; CI runs this on PostgreSQL")
    app = plan_in_recheck()
    a, b = officer(username="t_officer_a"), officer(username="t_officer_b")
    barrier = threading.Barrier(2)
    outcome = {}

    def decide(user, transition, reason):
        try:
            barrier.wait(timeout=10)
            application_transition(
                actor=user,
                application_id=app.pk,
                transition=transition,
                reason=reason,
                expected_status="province_recheck",
            )
            outcome[user.username] = "ok"
        except TransitionError as exc:
            outcome[user.username] = exc.messages[0]
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(a, "pass_recheck", "")),
        threading.Thread(target=decide, args=(b, "return_plan", "请补充材料。")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(v == "ok" for v in outcome.values()) == [False, True], outcome
    loser_message = next(v for v in outcome.values() if v != "ok")
    assert "该申报已被他人处理" in loser_message
    app.refresh_from_db()
    assert app.status in ("expert_review", "returned")
    assert decision_events(app).count() == 1
