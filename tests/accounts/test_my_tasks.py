"""My tasks on the home page (accounts.inbox and the apps' task providers), per role.

The clock is frozen at TEST_NOW (Monday 2026-11-16); items are created on earlier days
so the waited working days are known: a plan submitted on Monday 2026-11-09 has waited
5 working days (10, 11, 12, 13 and 16 November).
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from accounts.models import Organization
from reviews.services import members as members_services
from tests.applications.review_factories import plan_in_recheck, submitted_plan
from tests.conftest import SHANGHAI, TEST_NOW
from tests.factories import OrganizationFactory, bureau, officer, province, reviewer
from tests.reviews.factories import (
    accept_all,
    form_panel,
    plan_in_expert_review,
    pool,
    score_all,
)

pytestmark = pytest.mark.django_db

TASK = re.compile(r'<li class="list-group-item home-task[^"]*" data-testid="task">(.*?)</li>', re.S)
TAG = re.compile(r"<[^>]+>")


def on(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def rows(page: str) -> list[str]:
    """Each task of the home page as one line of its visible text."""
    return [" ".join(html.unescape(TAG.sub(" ", m)).split()) for m in TASK.findall(page)]


def nav_count(page: str) -> int:
    found = re.search(r'data-testid="nav-task-count">(\d+)<', page)
    return int(found.group(1)) if found else 0


@pytest.fixture
def clock(frozen_clock, calendar_years):
    calendar_years(2026)
    return frozen_clock


def at(clock, when: dt.datetime):
    clock.move_to(when)


def test_department_reviewer_sees_own_registrations_and_plans_oldest_first(client, clock):
    at(clock, on("2026-11-06"))
    pending = OrganizationFactory(
        name="太原待核验科技有限公司",
        status=Organization.Status.PENDING,
        verifying_department=bureau("太原市"),
    )
    OrganizationFactory(
        name="大同待核验科技有限公司",
        status=Organization.Status.PENDING,
        verifying_department=bureau("大同市"),
    )
    at(clock, on("2026-11-09"))
    first = submitted_plan(name="第一材料")
    datong = submitted_plan(name="大同材料", department=bureau("大同市"))
    at(clock, on("2026-11-12"))
    second = submitted_plan(name="第二材料")
    at(clock, TEST_NOW)

    page = home(client, reviewer("太原市"))
    assert rows(page) == [
        f"待核验的单位注册 {pending.name} 等待自 2026-11-06 已等待 6 个工作日",
        f"待审核的建设方案 {first.full_name}（{first.organization.name}） 等待自 2026-11-09 已等待 5 个工作日",
        f"待审核的建设方案 {second.full_name}（{second.organization.name}） 等待自 2026-11-12 已等待 2 个工作日",
    ]
    assert nav_count(page) == 3
    assert "大同" not in "".join(rows(page))
    assert reverse("applications:review_detail", args=[first.pk]) in page
    assert reverse("registration_pending_detail", args=[pending.pk]) in page

    other = rows(home(client, reviewer("大同市")))
    assert [r.split(" ")[:2] for r in other] == [
        ["待核验的单位注册", "大同待核验科技有限公司"],
        ["待审核的建设方案", f"{datong.full_name}（{datong.organization.name}）"],
    ]


def test_officer_sees_rechecks_registrations_and_panels_to_form(client, clock):
    at(clock, on("2026-11-02"))
    out_of_province = OrganizationFactory(
        name="北京待核验科技有限公司",
        status=Organization.Status.PENDING,
        registered_province="北京市",
        registered_city=None,
        verifying_department=province(),
    )
    OrganizationFactory(
        name="太原待核验二号有限公司",
        status=Organization.Status.PENDING,
        verifying_department=bureau("太原市"),
    )
    at(clock, on("2026-11-10"))
    recheck = plan_in_recheck(name="复核材料")
    at(clock, on("2026-11-11"))
    to_panel = plan_in_expert_review(org=OrganizationFactory(), name="组专家组材料")
    submitted_plan(name="仍在市局")  # department review: not the officer's yet
    at(clock, TEST_NOW)

    page = home(client, officer())
    assert rows(page) == [
        f"待核验的单位注册 {out_of_province.name} 等待自 2026-11-02 已等待 10 个工作日",
        f"待复核的建设方案 {recheck.full_name}（{recheck.organization.name}） 等待自 2026-11-10 已等待 4 个工作日",
        f"待组建专家组 {to_panel.full_name}（{to_panel.organization.name}） 等待自 2026-11-11 已等待 3 个工作日",
    ]
    assert nav_count(page) == 3
    assert reverse("reviews:panel_new", args=[to_panel.pk]) in page
    # the bureau reviewer sees neither the re-check nor the panel step, only its own work
    bureau_rows = rows(home(client, reviewer("太原市")))
    assert [r.split(" ")[0] for r in bureau_rows] == ["待核验的单位注册", "待审核的建设方案"]


def test_expert_invitation_declaration_scores_and_the_chairs_opinion(client, clock, settings):
    settings.REVIEWS_MIN_PANEL_SIZE = 3
    at(clock, on("2026-11-09"))
    app = plan_in_expert_review()
    pool(technical=2, management=1, financial=1)
    panel = form_panel(app, officer(), size=3, counts=(1, 1, 1), deadline_days=10)
    deadline = panel.score_deadline.isoformat()
    members = list(panel.members.select_related("expert__user").order_by("pk"))
    first, second, third = members

    at(clock, TEST_NOW)
    invited = rows(home(client, first.expert.user))
    assert invited == [
        f"待答复的评审邀请 {app.full_name} 等待自 2026-11-09 已等待 5 个工作日 截止 {deadline}"
    ]

    at(clock, on("2026-11-11"))
    members_services.member_respond(actor=first.expert.user, member_id=first.pk, accept=True)
    at(clock, TEST_NOW)
    assert rows(home(client, first.expert.user)) == [
        f"待申报利益冲突 {app.full_name} 等待自 2026-11-11 已等待 3 个工作日 截止 {deadline}"
    ]

    at(clock, on("2026-11-12"))
    members_services.member_declare(actor=first.expert.user, member_id=first.pk, conflict=False)
    accept_all(panel)
    members_services.panel_set_chair(actor=officer(), panel_id=panel.pk, member_id=first.pk)
    at(clock, TEST_NOW)
    scores_due = rows(home(client, second.expert.user))
    assert scores_due == [
        f"待提交评分 {app.full_name} 等待自 2026-11-12 已等待 2 个工作日 截止 {deadline}"
    ]
    chair_page = home(client, first.expert.user)
    assert [r.split(" ")[0] for r in rows(chair_page)] == ["待提交评分"]  # no opinion yet

    at(clock, on("2026-11-13"))
    score_all(panel)
    at(clock, TEST_NOW)
    chair_page = home(client, first.expert.user)
    assert rows(chair_page) == [
        f"待撰写专家组意见 {app.full_name} 等待自 2026-11-13 已等待 1 个工作日 截止 {deadline}"
    ]
    assert reverse("reviews:member_opinion", args=[first.pk]) in chair_page
    assert nav_count(chair_page) == 1
    assert rows(home(client, third.expert.user)) == []
    assert "目前没有需要您处理的事项" in home(client, third.expert.user)
