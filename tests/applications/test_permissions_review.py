"""Routing permissions and the refused side of every review view."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from accounts.models import City
from applications import permissions
from applications.selectors import applications_for_reviewer, applications_visible_to
from audit.models import AuditEvent
from tests.applications.review_factories import draft_plan, plan_in_recheck, submitted_plan
from tests.factories import OrganizationFactory, UserFactory, applicant, bureau, officer, reviewer

pytestmark = pytest.mark.django_db

INBOX = reverse("applications:review_inbox")


def test_grant_on_create_is_idempotent_and_org_only():
    app = draft_plan()
    permissions.grant_on_create(app)
    permissions.grant_on_create(app)
    member = applicant(app.organization)

    assert member.has_perm("applications.change_application", app)
    assert member.has_perm("applications.view_application", app)
    assert not member.has_perm("applications.review_application", app)
    assert app.applicationgroupobjectpermission_set.count() == 2
    ty = reviewer("太原市")
    assert not ty.has_perm("applications.view_application", app)  # drafts are not routed yet


def test_submit_routes_to_department_and_keeps_it_after_the_decision():
    app = plan_in_recheck()
    ty, dt = reviewer("太原市"), reviewer("大同市")

    assert ty.has_perm("applications.review_application", app)
    assert ty.has_perm("applications.view_application", app)
    assert not dt.has_perm("applications.view_application", app)
    assert list(applications_for_reviewer(user=ty)) == [app]
    assert list(applications_for_reviewer(user=dt)) == []


def test_rerouting_revokes_the_previous_department():
    app = submitted_plan()
    app.department = bureau("大同市")
    app.save()
    permissions.grant_on_submit(app)

    assert reviewer("大同市").has_perm("applications.review_application", app)
    assert not reviewer("太原市").has_perm("applications.view_application", app)


def test_experts_evaluators_and_anonymous_see_nothing():
    submitted_plan()
    expert = UserFactory(roles=["expert"])
    assert not applications_visible_to(user=expert).exists()
    assert not applications_for_reviewer(user=expert).exists()
    assert not applications_for_reviewer(user=AnonymousUser()).exists()


# --- refused side of every review view -----------------------------------------


def _outsiders(app):
    other_org = OrganizationFactory(registered_city=City.objects.get(name="大同市"))
    return {
        "applicant of the same organization": applicant(app.organization),
        "applicant of another organization": applicant(other_org),
        "reviewer of another city's bureau": reviewer("大同市"),
        "expert": UserFactory(roles=["expert"]),
        "evaluator": UserFactory(roles=["evaluator"]),
    }


@pytest.fixture(params=["dept_review", "province_recheck"])
def plan(request):
    return submitted_plan() if request.param == "dept_review" else plan_in_recheck()


def _events(app):
    return list(AuditEvent.objects.filter(target_id=str(app.pk)).values_list("pk", flat=True))


OUTSIDERS = [
    "applicant of the same organization",
    "applicant of another organization",
    "reviewer of another city's bureau",
    "expert",
    "evaluator",
]


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_cannot_see_or_decide(client, plan, who):
    user = _outsiders(plan)[who]
    before_state, before_events = plan.status, _events(plan)
    client.force_login(user)
    url = reverse("applications:review_detail", args=[plan.pk])

    inbox = client.get(INBOX, {"state": ""})
    page = client.get(url)
    posts = [
        client.post(url, {"action": a, "opinion": "越权操作", "expected_status": plan.status})
        for a in ("approve", "return_plan", "reject", "pass_recheck")
    ]

    if who == "reviewer of another city's bureau":
        assert inbox.status_code == 200
        assert plan.full_name not in inbox.content.decode()
        assert plan.pk not in [a.pk for a in inbox.context["page"].object_list]
        assert page.status_code == 404
        assert {p.status_code for p in posts} == {404}
    else:
        assert inbox.status_code == 403
        assert page.status_code == 403
        assert {p.status_code for p in posts} == {403}
    assert plan.full_name not in page.content.decode()
    plan.refresh_from_db()
    assert plan.status == before_state
    assert _events(plan) == before_events


def test_anonymous_is_sent_to_login_and_changes_nothing(client, plan):
    url = reverse("applications:review_detail", args=[plan.pk])
    before = _events(plan)

    for response in (
        client.get(INBOX),
        client.get(url),
        client.post(url, {"action": "reject", "opinion": "x", "expected_status": plan.status}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    plan.refresh_from_db()
    assert _events(plan) == before


def test_officer_cannot_take_the_department_decision(client):
    app = submitted_plan()
    client.force_login(officer())
    url = reverse("applications:review_detail", args=[app.pk])

    assert client.get(url).context["form"] is None  # officers see it, but do not decide here
    response = client.post(
        url, {"action": "approve", "opinion": "越级审核", "expected_status": "dept_review"}
    )

    assert response.status_code == 403
    app.refresh_from_db()
    assert app.status == "dept_review"
    assert not AuditEvent.objects.filter(
        target_id=str(app.pk), action="application.approve"
    ).exists()


def test_attachments_download_for_the_routed_department_only(client):
    app = submitted_plan()
    attachment = app.versions.get().attachments[0]
    url = reverse("applications:attachment_download", args=[app.pk, attachment["id"]])

    client.force_login(reviewer("太原市"))
    assert client.get(url).status_code == 200
    client.force_login(officer())
    assert client.get(url).status_code == 200
    for outsider in (reviewer("大同市"), UserFactory(roles=["expert"]), applicant()):
        client.force_login(outsider)
        response = client.get(url)
        assert response.status_code in (403, 404), outsider
        assert not response.has_header("Content-Disposition")
        assert not response.streaming  # no file body handed out
