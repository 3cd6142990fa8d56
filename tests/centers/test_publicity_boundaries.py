"""Boundaries of publicity and objections: the last day belongs to the period (objections
until 24:00 Asia/Shanghai, designation only from the next day), the ruling's audit event,
and the numbering of the publicized plans. The clock is frozen with time_machine; the
period 2026-09-30 … 2026-10-12 lies in the seeded 2026 calendar."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from applications.services import TransitionError
from audit.models import AuditEvent
from centers import rules, selectors
from centers.models import Center, Objection, PublicityItem
from centers.services import designation, objections, publicity
from centers.services.common import CentersError, ObjectionRefused

from .factories import approved_plan, file_objection, publicized_plan

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db

LAST_MINUTE = dt.datetime(2026, 10, 12, 23, 59, 59, tzinfo=SH)
MIDNIGHT = dt.datetime(2026, 10, 13, 0, 0, 0, tzinfo=SH)


def at(y, m, d, hh=12, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=SH)


# --------------------------------------------------------------------------- the last day


def test_last_publicity_day_is_still_inside_the_period(officer):
    app, notice = publicized_plan(actor=officer)
    assert notice.end_date == dt.date(2026, 10, 12)
    assert not rules.publicity_over(notice, LAST_MINUTE)
    assert rules.objection_window_open(notice, LAST_MINUTE)
    assert rules.publicity_over(notice, MIDNIGHT)
    assert not rules.objection_window_open(notice, MIDNIGHT)
    # the same instants given in UTC
    assert not rules.publicity_over(notice, LAST_MINUTE.astimezone(dt.UTC))
    assert rules.publicity_over(notice, dt.datetime(2026, 10, 12, 16, 0, tzinfo=dt.UTC))


def test_designation_refused_on_the_last_day_done_the_day_after(officer):
    app, _notice = publicized_plan(actor=officer)
    with time_machine.travel(LAST_MINUTE, tick=False):
        assert not rules.publicity_over_no_open_objection(app)
        assert list(selectors.designation_due()) == []
        assert designation.designate_due() == []
        with pytest.raises(TransitionError, match="公示期未结束"):
            designation.designate(actor=officer, application_id=app.pk)
    app.refresh_from_db()
    assert app.status == "publicity" and not Center.objects.exists()

    with time_machine.travel(MIDNIGHT, tick=False):
        assert rules.publicity_over_no_open_objection(app)
        assert list(selectors.designation_due()) == [app]
        [center] = designation.designate_due()
    app.refresh_from_db()
    assert app.status == "designated"
    assert center.designated_on == dt.date(2026, 10, 13)
    assert center.number == "SXTIC-2026-001"


def test_explicit_now_on_the_last_day_refuses_too(officer):
    app, _notice = publicized_plan(actor=officer)
    with pytest.raises(TransitionError):
        designation.designate(actor=None, application_id=app.pk, now=LAST_MINUTE)
    assert designation.designate_due(now=LAST_MINUTE) == []
    assert [c.application_id for c in designation.designate_due(now=MIDNIGHT)] == [app.pk]


def test_objection_on_the_last_minute_is_accepted_and_holds_designation(officer):
    app, _notice = publicized_plan(actor=officer)
    with time_machine.travel(LAST_MINUTE, tick=False):
        objection = file_objection(app)
    assert objection.submitted_at == LAST_MINUTE
    assert objection.receipt_number.startswith("YY20261012")
    with time_machine.travel(MIDNIGHT, tick=False):
        with pytest.raises(ObjectionRefused, match="2026年10月12日24时结束"):
            file_objection(app, name="迟到者")
        assert designation.designate_due() == []
    assert Objection.objects.count() == 1


def test_objection_window_opens_on_the_publication_day(officer):
    app, _notice = publicized_plan(actor=officer)
    with pytest.raises(ObjectionRefused, match="尚未开始"):
        file_objection(app, now=dt.datetime(2026, 9, 29, 23, 59, 59, tzinfo=SH))
    first = file_objection(app, now=dt.datetime(2026, 9, 30, 0, 0, 0, tzinfo=SH))
    assert first.receipt_number.startswith("YY20260930")


# --------------------------------------------------------------------------- the ruling


def test_dismissal_is_recorded_as_dismissed(officer):
    app, _notice = publicized_plan(actor=officer)
    objection = file_objection(app, now=at(2026, 10, 9))
    objections.objection_dismiss(
        actor=officer, objection_id=objection.pk, reason="异议不成立的理由"
    )
    objection.refresh_from_db()
    assert objection.status == "dismissed" and objection.resolution == "异议不成立的理由"
    assert objection.resolved_by == officer
    [event] = AuditEvent.objects.filter(
        action__in=["centers.objection_upheld", "centers.objection_dismissed"]
    )
    assert event.action == "centers.objection_dismissed"
    assert (event.from_state, event.to_state) == ("received", "dismissed")
    assert event.data == {"label": "异议不成立", "reason": "异议不成立的理由"}
    assert event.actor == officer
    app.refresh_from_db()
    assert app.status == "publicity"


def test_upholding_is_recorded_as_upheld(officer):
    app, _notice = publicized_plan(actor=officer)
    objection = file_objection(app, now=at(2026, 10, 9))
    objections.objection_add_note(actor=officer, objection_id=objection.pk, text="已调查。")
    objections.objection_uphold(actor=officer, objection_id=objection.pk, reason="经核实异议成立")
    objection.refresh_from_db()
    assert objection.status == "upheld"
    [event] = AuditEvent.objects.filter(
        action__in=["centers.objection_upheld", "centers.objection_dismissed"]
    )
    assert event.action == "centers.objection_upheld"
    assert (event.from_state, event.to_state) == ("investigating", "upheld")
    assert event.data == {"label": "异议成立", "reason": "经核实异议成立"}
    app.refresh_from_db()
    assert app.status == "rejected"
    assert AuditEvent.objects.filter(action="application.objection_upheld").count() == 1


# --------------------------------------------------------------------------- numbering


def test_publicized_plans_are_numbered_from_one_in_id_order(officer):
    plans = [approved_plan(actor=officer, name=name) for name in ("半导体", "大数据", "氢能")]
    notice = publicity.publicity_publish(
        actor=officer, application_ids=[p.pk for p in reversed(plans)], start=dt.date(2026, 9, 30)
    )
    items = list(PublicityItem.objects.filter(notice=notice).order_by("order"))
    assert [i.order for i in items] == [1, 2, 3]
    assert [i.application_id for i in items] == [p.pk for p in plans]
    assert [i.center_name for i in items] == [
        "山西省半导体技术创新中心",
        "山西省大数据技术创新中心",
        "山西省氢能技术创新中心",
    ]


def test_a_single_plan_is_number_one(officer):
    _app, notice = publicized_plan(actor=officer)
    assert list(notice.items.values_list("order", flat=True)) == [1]


def test_an_objection_under_investigation_still_holds_designation(officer):
    app, _notice = publicized_plan(actor=officer)
    objection = file_objection(app, now=at(2026, 10, 9))
    objections.objection_add_note(actor=officer, objection_id=objection.pk, text="正在核实。")
    objection.refresh_from_db()
    assert objection.status == "investigating"
    assert not rules.publicity_over_no_open_objection(app, MIDNIGHT)
    assert designation.designate_due(now=MIDNIGHT) == []
    with pytest.raises(TransitionError, match="仍有未处理的异议"):
        designation.designate(actor=officer, application_id=app.pk, now=MIDNIGHT)
    objections.objection_dismiss(actor=officer, objection_id=objection.pk, reason="不成立")
    assert [c.application_id for c in designation.designate_due(now=MIDNIGHT)] == [app.pk]


def test_upholding_is_refused_once_the_plan_left_publicity(officer):
    from applications.models import Application

    app, _notice = publicized_plan(actor=officer)
    objection = file_objection(app, now=at(2026, 10, 9))
    Application.objects.filter(pk=app.pk).update(status="withdrawn")  # left meanwhile
    with pytest.raises(CentersError, match="已不在公示状态"):
        objections.objection_uphold(actor=officer, objection_id=objection.pk, reason="成立")
    objection.refresh_from_db()
    assert objection.status == "received" and objection.resolved_at is None
    assert not AuditEvent.objects.filter(action="centers.objection_upheld").exists()
    # dismissing stays possible: it closes the file without touching the plan
    objections.objection_dismiss(actor=officer, objection_id=objection.pk, reason="方案已撤回")
    objection.refresh_from_db()
    assert objection.status == "dismissed"
