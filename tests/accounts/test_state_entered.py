"""When a plan or an organization entered its state (``state_entered_at``, audit.entered).

The audit service stores the event's time on the row, in the change's transaction; a save
that changes no state never moves it; the migrations' backfill computes it from the audit
trail as My tasks computed it per row before (the latest event to the row's state, else the
fallback column). The clock is frozen (tests/conftest.py) and moved to fixed days.
"""

from __future__ import annotations

import datetime as dt
import importlib
import types

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, migrations, transaction

from accounts.models import Organization
from accounts.services.changes import organization_update
from accounts.services.registration import organization_verify
from applications import sections
from applications.models import Application
from applications.services import (
    application_save_section,
    application_transition,
    application_update_basics,
)
from audit.models import AuditEvent
from audit.services import record, record_many
from tests.applications.review_factories import draft_plan, submitted_plan
from tests.conftest import SHANGHAI
from tests.factories import OrganizationFactory, applicant, bureau, reviewer

pytestmark = pytest.mark.django_db


def on(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def last_event(target, to_state: str) -> AuditEvent:
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        to_state=to_state,
    ).latest("created_at", "pk")


def entered(obj) -> dt.datetime:
    return type(obj).objects.values_list("state_entered_at", flat=True).get(pk=obj.pk)


def return_plan(app):
    return application_transition(
        actor=reviewer("太原市"),
        application_id=app.pk,
        transition="return_plan",
        reason="请补充建设目标的测算依据。",
    )


class Abort(Exception):
    pass


def test_a_transition_stores_its_events_time_in_the_same_transaction(clock):
    clock.move_to(on("2026-11-09"))
    app = submitted_plan()
    submitted = last_event(app, "dept_review")
    assert entered(app) == submitted.created_at
    assert submitted.created_at.astimezone(SHANGHAI).date() == dt.date(2026, 11, 9)

    clock.move_to(on("2026-11-12"))
    with pytest.raises(Abort), transaction.atomic():
        returned = return_plan(app)
        # inside the transaction the row has the new event's time already
        assert entered(app) == last_event(app, "returned").created_at == returned.state_entered_at
        raise Abort
    # rolled back with the event and the state
    app.refresh_from_db()
    assert app.status == "dept_review" and app.state_entered_at == submitted.created_at

    returned = return_plan(app)
    assert entered(app) == last_event(app, "returned").created_at
    assert entered(app).astimezone(SHANGHAI).date() == dt.date(2026, 11, 12)


def test_saving_a_plan_unchanged_never_moves_it(clock):
    clock.move_to(on("2026-11-09"))
    app = submitted_plan()
    user = app._test_applicant
    clock.move_to(on("2026-11-10"))
    app = return_plan(app)
    since = entered(app)

    clock.move_to(on("2026-11-13"))
    section = sections.PLAN_SECTIONS[0].code
    application_save_section(
        actor=user, application_id=app.pk, section=section, data=app.plan.get(section, {})
    )
    application_update_basics(
        actor=user,
        application_id=app.pk,
        name=app.name,
        kind=app.kind,
        industry_field=app.industry_field,
        department=app.department,
    )
    app.refresh_from_db()
    assert app.updated_at > since  # saved ...
    assert app.state_entered_at == since  # ... and still waiting since the return


def test_an_organization_keeps_it_until_its_status_changes(clock):
    clock.move_to(on("2026-11-02"))
    org = OrganizationFactory(status=Organization.Status.PENDING, verifying_department=bureau())
    # created without an event: since its creation
    assert entered(org).astimezone(SHANGHAI).date() == dt.date(2026, 11, 2)

    clock.move_to(on("2026-11-04"))
    organization_verify(actor=reviewer("太原市"), organization_id=org.pk, approve=True)
    verified = last_event(org, "verified").created_at
    assert entered(org) == verified

    clock.move_to(on("2026-11-06"))
    actor = applicant(org)
    organization_update(actor=actor, organization_id=org.pk, data={"address": org.address})
    organization_update(actor=actor, organization_id=org.pk, data={"contact_name": "李联系"})
    assert entered(org) == verified  # nothing to verify again: still verified since

    clock.move_to(on("2026-11-09"))
    organization_update(actor=actor, organization_id=org.pk, data={"name": "山西改名科技有限公司"})
    assert Organization.objects.get(pk=org.pk).status == "pending"
    assert entered(org) == last_event(org, "pending").created_at
    assert entered(org).astimezone(SHANGHAI).date() == dt.date(2026, 11, 9)


def test_record_many_stores_each_events_time(clock):
    clock.move_to(on("2026-11-09"))
    plans = [draft_plan(name="甲材料"), draft_plan(name="乙材料")]
    clock.move_to(on("2026-11-11"))
    with transaction.atomic():
        events = record_many(
            actor=None, action="test.batch", targets=plans, from_state="draft", to_state="draft"
        )
    for app, event in zip(plans, events, strict=True):
        assert entered(app) == event.created_at == app.state_entered_at
        assert event.created_at.astimezone(SHANGHAI).date() == dt.date(2026, 11, 11)


def test_an_event_without_a_state_leaves_it(clock):
    clock.move_to(on("2026-11-09"))
    app = submitted_plan()
    since = entered(app)
    clock.move_to(on("2026-11-11"))
    with transaction.atomic():
        record(actor=None, action="test.note", target=app, data={"note": "看过"})
    assert entered(app) == since


def _backfill_of(module: str):
    """The RunPython function of a migration (run here on today's models)."""
    migration = importlib.import_module(module).Migration
    (operation,) = [op for op in migration.operations if isinstance(op, migrations.RunPython)]
    return lambda: operation.code(django_apps, types.SimpleNamespace(connection=connection))


def test_the_backfill_takes_the_latest_event_to_the_rows_state_else_the_fallback(clock):
    clock.move_to(on("2026-11-02"))
    again = submitted_plan(name="再次提交")  # to dept_review on 11-02
    clock.move_to(on("2026-11-03"))
    return_plan(again)
    clock.move_to(on("2026-11-04"))
    application_transition(
        actor=again._test_applicant, application_id=again.pk, transition="resubmit"
    )
    resubmitted = last_event(again, "dept_review").created_at
    returned_plan = return_plan(submitted_plan(name="退回"))
    returned = last_event(returned_plan, "returned").created_at
    # a state no event recorded (a data fix): the plan's last update
    moved = draft_plan(name="未记录")
    Application.objects.filter(pk=moved.pk).update(status="expert_review")
    moved_since = Application.objects.get(pk=moved.pk).updated_at
    pending = OrganizationFactory(status=Organization.Status.PENDING, verifying_department=bureau())
    clock.move_to(on("2026-11-05"))
    organization_verify(actor=reviewer("太原市"), organization_id=pending.pk, approve=True)
    verified = last_event(pending, "verified").created_at
    never = OrganizationFactory(status=Organization.Status.PENDING)
    clock.move_to(on("2026-11-10"))
    # a later event to the same state of another kind of row with the same id counts not
    with transaction.atomic():
        AuditEvent.objects.create(
            action="test.other",
            target_type=ContentType.objects.get_for_model(Organization),
            target_id=str(again.pk),
            to_state="dept_review",
        )
    wrong = on("2020-01-01")
    Application.objects.update(state_entered_at=wrong)
    Organization.objects.update(state_entered_at=wrong)

    _backfill_of("applications.migrations.0008_application_state_entered_at")()
    _backfill_of("accounts.migrations.0009_organization_state_entered_at")()

    assert entered(again) == resubmitted
    assert entered(returned_plan) == returned
    assert entered(moved) == moved_since
    assert entered(pending) == verified
    assert entered(never) == Organization.objects.get(pk=never.pk).created_at
    assert not Application.objects.filter(state_entered_at=wrong).exists()
