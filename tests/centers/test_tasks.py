"""The designation beat task: direct call, a real worker, and a race with the button."""

import threading

import pytest
from django.db import close_old_connections, connection

from applications.models import Application
from centers.models import Center
from centers.services import designation
from centers.tasks import designate_due
from tests.factories import officer as make_officer

from .factories import file_objection, publicized_plan


@pytest.mark.django_db
def test_task_called_directly_designates_once(officer):
    app, _ = publicized_plan(actor=officer)
    first = designate_due()
    second = designate_due()
    assert len(first) == 1 and second == []
    app.refresh_from_db()
    assert app.status == "designated"
    assert Center.objects.get(application=app).pk == first[0]


@pytest.mark.django_db
def test_task_skips_plans_with_open_objections(officer):
    import datetime as dt

    app, _ = publicized_plan(actor=officer)
    file_objection(app, now=dt.datetime(2026, 10, 9, 3, tzinfo=dt.UTC))
    assert designate_due() == []
    app.refresh_from_db()
    assert app.status == "publicity"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_task_twice_one_center(celery_worker_process):
    app, _ = publicized_plan(actor=make_officer(username="officer_worker"))
    first = designate_due.delay().get(timeout=60)
    second = designate_due.delay().get(timeout=60)
    assert len(first) == 1 and second == []
    assert Center.objects.filter(application=app).count() == 1
    app.refresh_from_db()
    assert app.status == "designated"
    # the worker also issued the designation notice (queued on commit): exactly one number
    import time

    from documents.selectors import notices_for

    center = Center.objects.get(application=app)
    deadline = time.monotonic() + 60
    while not notices_for(center).exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert notices_for(center).count() == 1


@pytest.mark.django_db(transaction=True)
def test_button_and_task_at_the_same_time_designate_once():
    """Two threads (the task and the officer's button) on separate connections."""
    if connection.vendor != "postgresql":
        pytest.skip("real row locks between two connections need PostgreSQL (CI)")
    actor = make_officer(username="officer_race")
    app, _ = publicized_plan(actor=actor)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run(fn):
        try:
            barrier.wait(timeout=10)
            results.append(fn())
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=run, args=(lambda: designate_due(),)),
        threading.Thread(
            target=run,
            args=(lambda: [designation.designate(actor=actor, application_id=app.pk).pk],),
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert Center.objects.filter(application=app).count() == 1
    assert Application.objects.get(pk=app.pk).status == "designated"
    center_ids = {pk for result in results for pk in result}
    assert len(center_ids) == 1
