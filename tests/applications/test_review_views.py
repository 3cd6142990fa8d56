"""Department review and provincial re-check: inbox, review page and decisions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import City
from applications.models import Application
from applications.services import application_transition
from audit.models import AuditEvent
from notifications.models import Message
from tests.applications.review_factories import plan_in_recheck, submitted_plan
from tests.factories import OrganizationFactory, officer, reviewer

pytestmark = pytest.mark.django_db

INBOX = reverse("applications:review_inbox")


def detail_url(app):
    return reverse("applications:review_detail", args=[app.pk])


def decisions(app, action):
    return AuditEvent.objects.filter(target_id=str(app.pk), action=f"application.{action}")


def rows_of(response):
    return [a.pk for a in response.context["page"].object_list]


# --- inbox ------------------------------------------------------------------


def test_reviewer_inbox_shows_what_awaits_a_decision_in_own_department(client):
    me = reviewer("太原市")
    waiting = submitted_plan(name="太原待审")
    decided = plan_in_recheck(name="太原已审")
    other_city = submitted_plan(
        org=OrganizationFactory(registered_city=City.objects.get(name="大同市")), name="大同待审"
    )
    client.force_login(me)

    response = client.get(INBOX)

    assert response.status_code == 200
    assert rows_of(response) == [waiting.pk]
    body = response.content.decode()
    assert "山西省太原待审技术创新中心" in body
    assert "大同待审" not in body
    # all states of the department's own plans, still without other cities' plans
    response = client.get(INBOX, {"state": ""})
    assert set(rows_of(response)) == {waiting.pk, decided.pk}
    assert other_city.pk not in rows_of(response)


def test_officer_inbox_defaults_to_recheck_over_all_cities(client):
    ty = plan_in_recheck(name="太原复核")
    dt_org = OrganizationFactory(registered_city=City.objects.get(name="大同市"))
    datong = plan_in_recheck(org=dt_org, name="大同复核", dept_reviewer=reviewer("大同市"))
    waiting = submitted_plan(name="尚在审核")
    client.force_login(officer())

    response = client.get(INBOX)

    assert set(rows_of(response)) == {ty.pk, datong.pk}
    assert "复核" in response.content.decode()
    response = client.get(INBOX, {"state": "dept_review"})
    assert rows_of(response) == [waiting.pk]


def test_inbox_filters_kind_field_city_and_dates(client):
    a = submitted_plan(name="甲")
    b = submitted_plan(name="乙", kind="comprehensive")
    Application.objects.filter(pk=b.pk).update(industry_field=None)
    c = submitted_plan(
        org=OrganizationFactory(registered_city=City.objects.get(name="大同市")),
        department=a.department,
        name="丙",
    )
    old = timezone.make_aware(dt.datetime(2026, 1, 10, 23, 30))  # Asia/Shanghai date 2026-01-10
    Application.objects.filter(pk=c.pk).update(submitted_at=old)
    client.force_login(reviewer("太原市"))

    assert set(rows_of(client.get(INBOX, {"kind": "comprehensive"}))) == {b.pk}
    assert set(rows_of(client.get(INBOX, {"field": a.industry_field_id}))) == {a.pk, c.pk}
    datong = City.objects.get(name="大同市")
    assert rows_of(client.get(INBOX, {"city": datong.pk})) == [c.pk]
    assert rows_of(client.get(INBOX, {"submitted_to": "2026-01-10"})) == [c.pk]
    assert rows_of(client.get(INBOX, {"submitted_from": "2026-01-11"})) != []
    assert c.pk not in rows_of(client.get(INBOX, {"submitted_from": "2026-01-11"}))

    response = client.get(INBOX, {"submitted_from": "2026-02-01", "submitted_to": "2026-01-01"})
    assert "截止日期不能早于起始日期。" in response.content.decode()
    assert 'value="2026-02-01"' in response.content.decode()  # what was typed is kept


def test_inbox_sorts_by_name_and_submitted_date(client):
    for name in ["乙", "甲", "丙"]:
        submitted_plan(name=name)
    client.force_login(reviewer("太原市"))

    by_name = client.get(INBOX, {"sort": "name"}).context["page"].object_list
    assert [a.name for a in by_name] == sorted(["乙", "甲", "丙"])
    by_date = client.get(INBOX, {"sort": "submitted_at"}).context["page"].object_list
    assert [a.name for a in by_date] == ["乙", "甲", "丙"]
    by_state = client.get(INBOX, {"sort": "status", "state": ""})
    assert by_state.status_code == 200


def test_inbox_pages_by_twenty(client):
    first = submitted_plan(name="分页0")
    for i in range(1, 23):
        submitted_plan(org=first.organization, user=first._test_applicant, name=f"分页{i}")
    client.force_login(reviewer("太原市"))

    page1 = client.get(INBOX)
    page2 = client.get(INBOX, {"page": 2})

    assert len(rows_of(page1)) == 20
    assert len(rows_of(page2)) == 3
    assert set(rows_of(page1)).isdisjoint(rows_of(page2))
    assert page1.context["page"].paginator.num_pages == 2
    assert "page=2" in page1.content.decode()


def _bulk_routed(n, template):
    """n more plans like ``template`` routed to the same department (fast arrange)."""
    from django.contrib.auth.models import Permission

    from applications.models import ApplicationGroupObjectPermission

    apps = Application.objects.bulk_create(
        [
            Application(
                organization=template.organization,
                department=template.department,
                created_by=template.created_by,
                name=f"批量{i}",
                kind=template.kind,
                industry_field=template.industry_field,
                status=template.status,
                submitted_at=timezone.now(),
                number=f"T{i:05d}",
            )
            for i in range(n)
        ]
    )
    apps = list(Application.objects.filter(name__startswith="批量"))
    perms = Permission.objects.filter(
        content_type__app_label="applications",
        codename__in=["view_application", "review_application"],
    )
    ApplicationGroupObjectPermission.objects.bulk_create(
        [
            ApplicationGroupObjectPermission(
                group=template.department.group, permission=p, content_object=a
            )
            for a in apps
            for p in perms
        ]
    )


@pytest.mark.parametrize("who", ["reviewer", "officer"])
def test_inbox_query_count_is_the_same_at_1_and_200_plans(client, who):
    first = submitted_plan(name="唯一")
    if who == "officer":
        first = plan_in_recheck(name="唯一复核")
    user = reviewer("太原市") if who == "reviewer" else officer()
    client.force_login(user)
    client.get(INBOX)  # warm caches (content types, sessions)

    with CaptureQueriesContext(connection) as one:
        response = client.get(INBOX)
    assert len(rows_of(response)) == 1

    _bulk_routed(199, first)
    with CaptureQueriesContext(connection) as many:
        response = client.get(INBOX, {"page": 2})
    assert len(rows_of(response)) == 20
    assert response.context["page"].paginator.count == 200
    assert len(many.captured_queries) == len(one.captured_queries), [
        q["sql"] for q in many.captured_queries
    ]


# --- review page --------------------------------------------------------------


def test_review_page_shows_version_sections_and_timeline(client):
    app = submitted_plan(name="半导体材料")
    client.force_login(reviewer("太原市"))

    response = client.get(detail_url(app))

    body = response.content.decode()
    assert response.status_code == 200
    version = app.versions.order_by("-number").first()
    local = timezone.localtime(version.created_at).strftime("%Y-%m-%d %H:%M")
    assert f"第1版，提交于{local}" in body
    assert "基本信息" in body and "附件" in body and "建设方案文本.pdf" in body
    download = reverse(
        "applications:attachment_download", args=[app.pk, version.attachments[0]["id"]]
    )
    assert download in body
    assert "张建国" in body and "扫描电镜" in body  # sections of the frozen plan
    assert "审核通过" in body and "退回修改" in body and "不予通过" in body
    assert 'name="expected_status" value="dept_review"' in body
    assert "复核通过" not in body


def test_department_approves_with_opinion(client):
    app = submitted_plan(name="审核通过测试")
    me = reviewer("太原市")
    off = officer()
    client.force_login(me)

    response = client.post(
        detail_url(app),
        {"action": "approve", "opinion": "材料齐全，同意推荐。", "expected_status": "dept_review"},
        follow=True,
    )

    app.refresh_from_db()
    assert app.status == "province_recheck"
    event = decisions(app, "approve").get()
    assert event.actor == me and event.data["reason"] == "材料齐全，同意推荐。"
    assert "已提交处理意见「审核通过」" in response.content.decode()
    note = Message.objects.get(recipient=off)
    assert "待复核" in note.subject and "材料齐全" in note.body


def test_approve_without_opinion_is_refused_in_chinese_and_keeps_the_choice(client):
    app = submitted_plan()
    client.force_login(reviewer("太原市"))

    response = client.post(
        detail_url(app), {"action": "approve", "opinion": "  ", "expected_status": "dept_review"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "请填写审核意见。" in body
    assert response.context["form"]["action"].value() == "approve"
    app.refresh_from_db()
    assert app.status == "dept_review"
    assert not decisions(app, "approve").exists()


@pytest.mark.parametrize(
    "action, message",
    [("return_plan", "请填写退回修改的理由。"), ("reject", "请填写不予通过的理由。")],
)
def test_return_and_reject_need_reasons(client, action, message):
    app = submitted_plan()
    client.force_login(reviewer("太原市"))

    response = client.post(detail_url(app), {"action": action, "expected_status": "dept_review"})

    assert message in response.content.decode()
    app.refresh_from_db()
    assert app.status == "dept_review"
    assert not AuditEvent.objects.filter(
        target_id=str(app.pk), action__startswith="application.r"
    ).exists()


def test_department_returns_with_reasons_and_applicant_is_told(client):
    app = submitted_plan()
    client.force_login(reviewer("太原市"))

    client.post(
        detail_url(app),
        {"action": "return_plan", "opinion": "请补充场地证明。", "expected_status": "dept_review"},
    )

    app.refresh_from_db()
    assert app.status == "returned"
    assert app.last_reason == "请补充场地证明。"
    note = Message.objects.get(recipient=app.created_by)
    assert "退回修改" in note.subject and "请补充场地证明。" in note.body


def test_department_rejects_with_reasons(client):
    app = submitted_plan()
    client.force_login(reviewer("太原市"))

    client.post(
        detail_url(app),
        {"action": "reject", "opinion": "不符合领域要求。", "expected_status": "dept_review"},
    )

    app.refresh_from_db()
    assert app.status == "rejected" and app.last_reason == "不符合领域要求。"
    assert decisions(app, "reject").count() == 1


def test_officer_passes_recheck_to_expert_review(client):
    app = plan_in_recheck()
    me = officer()
    client.force_login(me)
    form = client.get(detail_url(app)).context["form"]
    assert [name for name, _label in form.fields["action"].choices] == [
        "return_plan",
        "reject",
        "pass_recheck",
    ]

    client.post(detail_url(app), {"action": "pass_recheck", "expected_status": "province_recheck"})

    app.refresh_from_db()
    assert app.status == "expert_review"
    assert decisions(app, "pass_recheck").get().actor == me
    assert Message.objects.filter(recipient=app.created_by, subject__contains="通过复核").exists()


def test_officer_returns_plan_from_recheck(client):
    app = plan_in_recheck()
    client.force_login(officer())

    client.post(
        detail_url(app),
        {
            "action": "return_plan",
            "opinion": "投入承诺不明确。",
            "expected_status": "province_recheck",
        },
    )

    app.refresh_from_db()
    assert app.status == "returned" and app.last_reason == "投入承诺不明确。"


def test_department_reviewer_cannot_decide_in_recheck(client):
    app = plan_in_recheck()
    client.force_login(reviewer("太原市"))

    page = client.get(detail_url(app))
    assert page.status_code == 200 and page.context["form"] is None  # history only
    response = client.post(
        detail_url(app),
        {"action": "return_plan", "opinion": "再看看", "expected_status": "province_recheck"},
    )

    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == "province_recheck"
    assert not decisions(app, "return_plan").exists()


def test_resubmitted_plan_shows_version_two_and_a_compare_link(client):
    app = submitted_plan()
    ty = reviewer("太原市")
    application_transition(actor=ty, application_id=app.pk, transition="return_plan", reason="补充")
    application_transition(actor=app.created_by, application_id=app.pk, transition="resubmit")
    client.force_login(ty)

    body = client.get(detail_url(app)).content.decode()

    assert "第2版，提交于" in body
    compare = reverse("applications:compare", args=[app.pk]) + "?a=1&amp;b=2"
    assert compare in body
    assert (
        client.get(reverse("applications:compare", args=[app.pk]), {"a": 1, "b": 2}).status_code
        == 200
    )
