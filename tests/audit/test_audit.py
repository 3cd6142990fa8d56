import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template import Context, Template
from django.test import RequestFactory

from accounts.models import Organization
from audit.models import AuditEvent
from audit.selectors import events_for
from audit.services import NotInTransaction, record, set_request_ip
from tests.factories import OrganizationFactory, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return OrganizationFactory(name="太原审计测试有限公司")


def write(org, actor=None, **kw):
    with transaction.atomic():
        return record(
            actor=actor,
            action=kw.pop("action", "organization.verify"),
            target=org,
            **kw,
        )


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_raises_and_writes_nothing(org):
    """A real autocommit connection (the default test wraps everything in a transaction)."""
    with pytest.raises(NotInTransaction):
        record(actor=None, action="organization.verify", target=org)
    assert AuditEvent.objects.count() == 0


def test_record_inside_a_transaction_writes_every_field(org):
    actor = officer(last_name="孙", first_name="复核")
    set_request_ip("10.1.2.3")
    try:
        event = write(
            org,
            actor,
            from_state="pending",
            to_state="verified",
            data={"label": "审核通过", "reason": "材料齐全", "old": {"status": "pending"}},
        )
    finally:
        set_request_ip(None)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == actor
    assert stored.action == "organization.verify"
    assert stored.target_id == str(org.pk)
    assert stored.target_type.model_class() is Organization
    assert stored.target_repr == "太原审计测试有限公司"
    assert (stored.from_state, stored.to_state) == ("pending", "verified")
    assert stored.data == {"label": "审核通过", "reason": "材料齐全", "old": {"status": "pending"}}
    assert stored.ip == "10.1.2.3"
    assert stored.created_at is not None


def test_an_explicit_ip_wins_and_anonymous_actor_is_stored_as_system(org):
    from django.contrib.auth.models import AnonymousUser

    event = write(org, AnonymousUser(), ip="192.168.0.9")
    assert event.actor is None
    assert event.ip == "192.168.0.9"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_event(org):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with transaction.atomic():
            record(actor=None, action="organization.verify", target=org)
            raise Boom
    assert AuditEvent.objects.count() == 0


def test_saving_an_existing_event_again_is_refused(org):
    event = write(org, to_state="verified")
    event.to_state = "refused"
    with pytest.raises(PermissionDenied):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).to_state == "verified"


def test_deleting_an_event_is_refused(org):
    event = write(org)
    with pytest.raises(PermissionDenied):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(org):
    write(org)
    write(org, action="organization.edit")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().update(action="tampered")
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(action="organization.edit").delete()
    assert sorted(AuditEvent.objects.values_list("action", flat=True)) == [
        "organization.edit",
        "organization.verify",
    ]


def test_events_for_returns_only_that_objects_events_in_order(org):
    other = OrganizationFactory()
    first = write(org, action="first")
    write(other, action="elsewhere")
    second = write(org, action="second")
    assert list(events_for(target=org)) == [first, second]


def test_the_request_ip_middleware_fills_the_ip_for_events_written_in_the_request(org):
    from audit.middleware import RequestIPMiddleware

    seen = {}

    def view(request):
        seen["event"] = write(org)
        return None

    request = RequestFactory().get("/", REMOTE_ADDR="172.16.5.4")
    RequestIPMiddleware(view)(request)
    assert seen["event"].ip == "172.16.5.4"
    assert write(org).ip is None  # cleared after the request


def render_timeline(target, **extra):
    template = Template("{% load audit_tags %}{% audit_timeline target labels %}")
    return template.render(Context({"target": target, "labels": extra.get("labels")}))


def test_timeline_renders_label_actor_reason_and_time_in_shanghai(org, settings):
    actor = officer(last_name="孙", first_name="复核")
    event = write(
        org,
        actor,
        from_state="pending",
        to_state="verified",
        data={
            "label": "审核通过",
            "reason": "材料齐全",
            "from_label": "待审核",
            "to_label": "已审核",
        },
    )
    write(org, action="organization.note")  # no label: the code, and "system" as actor
    # 2026-03-05 01:30 UTC is 09:30 in Asia/Shanghai.
    event_time = datetime.datetime(2026, 3, 5, 1, 30, tzinfo=datetime.UTC)
    from django.db import connection

    with connection.cursor() as cursor:  # the model refuses updates; set the time in SQL
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET created_at = %s WHERE id = %s",
            [event_time, event.pk],
        )

    settings.TIME_ZONE = "UTC"  # even if the server default changed, the timeline is Shanghai
    html = render_timeline(org)

    assert "审核通过" in html
    assert "孙复核" in html
    assert "材料齐全" in html
    assert "待审核 → 已审核" in html
    assert "2026-03-05 09:30" in html
    assert "organization.note" in html
    assert "系统" in html
    assert html.index("审核通过") < html.index("organization.note")


def test_timeline_uses_the_labels_passed_in_for_unlabelled_actions(org):
    write(org, action="organization.note")
    html = render_timeline(org, labels={"organization.note": "补充说明"})
    assert "补充说明" in html


def test_timeline_of_an_object_without_events(org):
    assert "暂无记录" in render_timeline(org)
