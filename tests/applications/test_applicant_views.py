"""Applicant home, withdraw, and every applicant-side view from the refused side."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, Attachment
from applications.services import application_submit, application_transition
from applications.testing import make_complete_plan
from audit.models import AuditEvent
from tests.factories import OrganizationFactory, UserFactory, applicant, officer, reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(user, plan):
    return application_submit(actor=user, application_id=plan.pk)


def view_urls(app):
    a = Attachment.objects.filter(application=app).first()
    urls = [
        ("get", reverse("applications:detail", args=[app.pk])),
        ("get", reverse("applications:attachment_download", args=[app.pk, a.pk])),
        ("get", reverse("applications:version", args=[app.pk, 1])),
        ("get", reverse("applications:compare", args=[app.pk]) + "?a=1&b=1"),
        ("get", reverse("applications:submit", args=[app.pk])),
        ("post", reverse("applications:submit", args=[app.pk])),
        ("get", reverse("applications:withdraw", args=[app.pk])),
        ("post", reverse("applications:withdraw", args=[app.pk])),
        ("post", reverse("applications:attachment_remove", args=[app.pk, a.pk])),
    ]
    for code in ["basics", "lead", "director", "targets", "attachments"]:
        urls.append(("get", reverse("applications:section", args=[app.pk, code])))
        urls.append(("post", reverse("applications:section", args=[app.pk, code])))
    return urls


def refusers():
    return {
        "other organization": applicant(OrganizationFactory(name="别家单位")),
        "other city's bureau": reviewer("大同市"),
        "expert": UserFactory(roles=["expert"]),
    }


def test_every_view_refused_to_others(client, submitted):
    urls = view_urls(submitted)
    for who, person in refusers().items():
        client.force_login(person)
        for method, url in urls:
            response = getattr(client, method)(url, {"reason": "x", "f-name": "x"})
            assert response.status_code in (403, 404), (who, method, url, response.status_code)
    client.logout()
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    submitted.refresh_from_db()
    assert submitted.status == "dept_review"
    assert Attachment.objects.filter(application=submitted, removed_at__isnull=False).count() == 0


def test_draft_invisible_to_the_bureau_too(client, plan):
    client.force_login(reviewer("太原市"))
    assert client.get(reverse("applications:detail", args=[plan.pk])).status_code == 404


def test_routed_bureau_sees_but_cannot_edit_or_withdraw(client, submitted):
    client.force_login(reviewer("太原市"))
    assert client.get(reverse("applications:detail", args=[submitted.pk])).status_code == 200
    assert client.get(reverse("applications:version", args=[submitted.pk, 1])).status_code == 200
    assert (
        client.get(reverse("applications:section", args=[submitted.pk, "director"])).status_code
        == 403
    )
    assert (
        client.post(
            reverse("applications:withdraw", args=[submitted.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    submitted.refresh_from_db()
    assert submitted.status == "dept_review" and submitted.last_reason != "x"
    assert not AuditEvent.objects.filter(
        target_id=str(submitted.pk), action="application.withdraw"
    ).exists()


def test_create_refused_without_applicant_role(client):
    client.force_login(UserFactory(roles=["expert"]))
    assert client.get(reverse("applications:create")).status_code == 403


def test_home_lists_only_own_plans_with_next_step(client, org, user, submitted):
    other_org = OrganizationFactory(name="别家单位")
    make_complete_plan(other_org, applicant(other_org), name="别家中心")
    draft = make_complete_plan(org, user, name="第二中心")
    application_transition(
        actor=reviewer("太原市"), application_id=submitted.pk, transition="return_plan",
        reason="场地证明不清晰，请补充。",
    )  # fmt: skip
    client.force_login(user)
    page = client.get(reverse("applications:home"))
    html = page.content.decode()
    assert "别家中心" not in html
    assert "山西省第二中心技术创新中心" in html and "请完善并提交建设方案" in html
    assert "请根据退回意见修改后重新提交" in html and "场地证明不清晰，请补充。" in html
    assert "退回修改" in html or "returned" in html
    detail = client.get(reverse("applications:detail", args=[submitted.pk])).content.decode()
    assert "场地证明不清晰，请补充。" in detail
    assert "提交建设方案" in detail and "退回修改" in detail  # timeline labels
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert reverse("applications:detail", args=[draft.pk]) in html  # the second plan is listed


def _home_queries(client, user):
    client.force_login(user)
    client.get(reverse("applications:home"))  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("applications:home"))
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_home_query_count_same_at_1_and_30(client, org, user):
    from applications.services import application_create
    from tests.factories import bureau

    application_create(actor=user, name="一号", kind="domain", department=bureau())
    one, _ = _home_queries(client, user)
    for i in range(29):
        application_create(actor=user, name=f"中心{i}", kind="domain", department=bureau())
    many, response = _home_queries(client, user)
    assert Application.objects.filter(organization=org).count() == 30
    assert one == many


def test_withdraw_with_reason_keeps_record(client, user, submitted):
    client.force_login(user)
    url = reverse("applications:withdraw", args=[submitted.pk])
    page = client.get(url)
    assert page.status_code == 200
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    response = client.post(url, {"reason": "单位战略调整，暂不申报。"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "withdrawn"
    [event] = AuditEvent.objects.filter(target_id=str(submitted.pk), action="application.withdraw")
    assert (event.from_state, event.to_state, event.actor) == ("dept_review", "withdrawn", user)
    detail = client.get(reverse("applications:detail", args=[submitted.pk])).content.decode()
    assert "撤回申报" in detail and "单位战略调整，暂不申报。" in detail
    # read-only now
    assert (
        client.get(reverse("applications:section", args=[submitted.pk, "lead"])).status_code == 403
    )
    assert Application.objects.filter(pk=submitted.pk).exists()


def test_withdraw_refused_after_meeting_stage(client, user, submitted):
    Application.objects.filter(pk=submitted.pk).update(status="publicity")
    client.force_login(user)
    response = client.post(
        reverse("applications:withdraw", args=[submitted.pk]), {"reason": "撤回"}
    )
    assert response.status_code == 200
    assert "不能执行此操作" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "publicity"


def test_officer_can_view_everything(client, submitted):
    client.force_login(officer())
    response = client.get(reverse("applications:detail", args=[submitted.pk]))
    assert response.status_code == 200
    assert submitted.full_name in response.content.decode()


def test_double_submit_second_gets_a_clear_message(client, user, plan):
    client.force_login(user)
    url = reverse("applications:submit", args=[plan.pk])
    assert client.post(url, {"expected_status": "draft"}).status_code == 302
    # a second tab still showing the draft
    from applications.services import TransitionError

    with pytest.raises(TransitionError) as exc:
        application_submit(actor=user, application_id=plan.pk, expected_status="draft")
    assert "已被他人处理" in exc.value.messages[0]
    plan.refresh_from_db()
    assert plan.versions.count() == 1 and plan.number.endswith("-0001")


def test_saving_a_section_after_submit_elsewhere_is_refused_cleanly(user, plan):
    from applications.services import TransitionError, application_save_section

    application_submit(actor=user, application_id=plan.pk)
    with pytest.raises(TransitionError) as exc:
        application_save_section(actor=user, application_id=plan.pk, section="team", data={})
    assert "不能修改" in exc.value.messages[0]
