"""My tasks: the officer's meeting, publicity and designation steps, the applicant's
returned and improving plans, query counts, an unknown calendar year.

The clock is frozen at TEST_NOW (Monday 2026-11-16), as in test_my_tasks.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organization, User
from applications.services import application_transition
from centers.services import meetings
from reviews.services import members as members_services
from reviews.services import opinion
from tests.accounts.test_my_tasks import home, nav_count, on, rows
from tests.applications.review_factories import plan_in_recheck, submitted_plan
from tests.centers.factories import (
    approved_plan,
    file_objection,
    plan_awaiting_meeting,
    publicized_plan,
)
from tests.conftest import TEST_NOW
from tests.factories import OrganizationFactory, applicant, bureau, officer, province, reviewer
from tests.reviews.factories import (
    accept_all,
    form_panel,
    plan_in_expert_review,
    pool,
    score_all,
    sign_opinion,
)
from workdays.services import working_days_between

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(frozen_clock, calendar_years):
    calendar_years(2026)
    return frozen_clock


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REVIEWS_MIN_PANEL_SIZE = 3


def kinds(page: str) -> list[str]:
    return [r.split(" ")[0] for r in rows(page)]


def test_officer_sees_meetings_publicity_objections_and_designations(client, clock):
    actor = officer()
    clock.move_to(on("2026-11-02"))
    agenda = plan_awaiting_meeting(name="议程材料")
    clock.move_to(on("2026-11-03"))
    due, _old = publicized_plan(actor=actor, name="到期材料")  # publicity 09-30 to 10-12
    clock.move_to(on("2026-11-04"))
    approved = approved_plan(actor=actor, name="已批准材料")
    clock.move_to(on("2026-11-09"))
    current, notice = publicized_plan(actor=actor, name="公示中材料", start=dt.date(2026, 11, 10))
    clock.move_to(on("2026-11-12"))
    objection = file_objection(current)
    clock.move_to(on("2026-11-13"))
    meeting = meetings.meeting_create(
        actor=actor, title="2026年第13次厅务会议", held_on=dt.date(2026, 11, 20)
    )
    clock.move_to(TEST_NOW)

    page = home(client, officer())
    designated_wait = working_days_between(dt.date(2026, 10, 14), dt.date(2026, 11, 16))
    end = notice.end_date.isoformat()
    assert rows(page) == [
        f"待认定 {due.full_name} 等待自 2026-10-13 已等待 {designated_wait} 个工作日",
        f"待列入厅会议议程的建设方案 {agenda.full_name}（{agenda.organization.name}） "
        "等待自 2026-11-02 已等待 10 个工作日",
        f"待公示的建设方案 {approved.full_name} 等待自 2026-11-04 已等待 8 个工作日",
        f"公示即将结束 {notice.title} 等待自 2026-11-10 已等待 4 个工作日 截止 {end}",
        f"待处理的异议 {objection.receipt_number}：{current.full_name} "
        "等待自 2026-11-12 已等待 2 个工作日",
        f"待作出决定并结束的厅会议 {meeting.title} 等待自 2026-11-13 已等待 1 个工作日 "
        "截止 2026-11-20",
    ]
    assert nav_count(page) == 6
    # none of it is a department reviewer's or an applicant's work
    assert rows(home(client, reviewer("太原市"))) == []
    assert rows(home(client, User.objects.get(pk=agenda._test_applicant.pk))) == []


def _improving_plan(org, user, name):
    app = plan_in_expert_review(org=org, user=user, name=name)
    panel = form_panel(app, officer(), size=3, counts=(1, 1, 1))
    seats = accept_all(panel)
    members_services.panel_set_chair(actor=officer(), panel_id=panel.pk, member_id=seats[0].pk)
    score_all(panel)
    sign_opinion(panel, seats[0])
    opinion.panel_conclude(actor=officer(), panel_id=panel.pk, outcome="pass")
    return app, seats


def test_applicant_sees_returned_and_improving_plans_of_its_own_organization(client, clock):
    pool(technical=2, management=1, financial=1)
    User.objects.filter(groups__name="role:expert").update(last_name="评", first_name="审某")
    org = OrganizationFactory(name="太原申报甲有限公司")
    user = applicant(org)
    clock.move_to(on("2026-11-05"))
    returned = submitted_plan(org=org, user=user, name="退回材料")
    application_transition(
        actor=reviewer("太原市"),
        application_id=returned.pk,
        transition="return_plan",
        reason="请补充研发投入证明。",
    )
    other = submitted_plan(name="别家材料")  # another organization's returned plan
    application_transition(
        actor=reviewer("太原市"), application_id=other.pk, transition="return_plan", reason="补充"
    )
    clock.move_to(on("2026-11-11"))
    improving, seats = _improving_plan(org, user, "完善材料")
    clock.move_to(TEST_NOW)

    page = home(client, user)
    assert rows(page) == [
        f"被退回待修改后重新提交的建设方案 {returned.full_name} 等待自 2026-11-05 已等待 7 个工作日",
        f"待提交完善后的建设方案 {improving.full_name} 等待自 2026-11-11 已等待 3 个工作日",
    ]
    assert nav_count(page) == 2
    assert other.full_name not in page
    for seat in seats:  # the applicant never learns who sat on the panel
        assert str(seat.expert.user) not in page
    assert "评审某" not in page


def _officer_world(n: int):
    """n items for each of the officer's providers."""
    actor = officer()
    for i in range(n):
        OrganizationFactory(
            status=Organization.Status.PENDING,
            registered_province="北京市",
            registered_city=None,
            verifying_department=province(),
        )
        plan_in_recheck(name=f"复核{i}")
        plan_in_expert_review(org=OrganizationFactory(), name=f"待组{i}")
        plan_awaiting_meeting(name=f"议程{i}")
        approved_plan(actor=actor, name=f"已批{i}")
        publicized_plan(actor=actor, name=f"到期{i}")
        app, _ = publicized_plan(actor=actor, name=f"公示{i}", start=dt.date(2026, 11, 12))
        file_objection(app, phone=f"1380000{i:04d}")
        meetings.meeting_create(actor=actor, title=f"第{i}次会议", held_on=dt.date(2026, 11, 20))


def _count(client, user) -> tuple[int, str]:
    client.force_login(user)
    client.get("/")  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/").content.decode()
    return len(ctx.captured_queries), page


def test_officer_home_query_count_is_the_same_at_one_and_at_three_items_each(client, clock):
    user = officer()
    _officer_world(1)
    one, page = _count(client, user)
    assert nav_count(page) == len(rows(page)) == 9
    _officer_world(3)
    many, page = _count(client, user)
    # the home page lists the oldest 20 of the 36 and links to the full list
    assert nav_count(page) == 9 * 4 and len(rows(page)) == 20
    assert "还有 16 项待办" in page and 'href="/tasks/"' in page
    assert many == one
    full = client.get(reverse("my_tasks")).content.decode()
    assert len(rows(full)) == 9 * 4 and rows(full)[:20] == rows(page)


def test_expert_home_query_count_is_the_same_at_one_and_at_three_panels(client, clock):
    pool(technical=1, management=1, financial=1)
    profile_user = User.objects.filter(groups__name="role:expert").order_by("pk").first()

    def chair_panel(name):
        app = plan_in_expert_review(org=OrganizationFactory(), name=name)
        panel = form_panel(app, officer(), size=3, counts=(1, 1, 1))
        seats = accept_all(panel)
        chair = next(s for s in seats if s.expert.user_id == profile_user.pk)
        members_services.panel_set_chair(actor=officer(), panel_id=panel.pk, member_id=chair.pk)
        score_all(panel)

    chair_panel("评审一")
    one, page = _count(client, profile_user)
    assert kinds(page) == ["待撰写专家组意见"]
    chair_panel("评审二")
    chair_panel("评审三")
    many, page = _count(client, profile_user)
    assert kinds(page) == ["待撰写专家组意见"] * 3 and nav_count(page) == 3
    assert many == one


def test_a_year_the_calendar_does_not_know_leaves_the_day_count_out(client, clock):
    clock.move_to(on("2026-11-09"))
    app = submitted_plan(name="跨年材料")
    clock.move_to(on("2031-01-06"))  # no calendar for 2027-2031

    page = home(client, reviewer("太原市"))
    assert rows(page) == [
        f"待审核的建设方案 {app.full_name}（{app.organization.name}） 等待自 2026-11-09 "
        "已等待工作日数未知（工作日历未录入）"
    ]
    assert "工作日历尚未录入2027、2028、2029、2030、2031年的节假日安排" in page
    assert nav_count(page) == 1


def test_a_provider_registered_later_shows_on_home_and_in_the_count(client, clock, monkeypatch):
    """Later steps plug in through the registry alone; an overdue deadline is marked."""
    from accounts import inbox

    monkeypatch.setattr(inbox, "_providers", dict(inbox._providers))

    def evaluations_due(user):
        return [
            inbox.Task(
                kind="待提交评估材料",
                title="山西省某某技术创新中心",
                url="/evaluations/1/",
                since=dt.date(2026, 11, 13),
                deadline=dt.date(2026, 11, 15),
            )
        ]

    user = reviewer("太原市")
    assert rows(home(client, user)) == []
    inbox.register(evaluations_due)
    inbox.register(evaluations_due)  # idempotent
    inbox.invalidate_counts()  # (apps register at start-up, before anything is cached)
    page = home(client, user)
    assert rows(page) == [
        "待提交评估材料 山西省某某技术创新中心 等待自 2026-11-13 已等待 1 个工作日 "
        "截止 2026-11-15 （已逾期）"
    ]
    assert nav_count(page) == 1 and 'href="/evaluations/1/"' in page


def test_working_days_waited_counts_each_start_and_names_no_unknown_year(
    calendar_years, django_assert_num_queries
):
    from workdays.services import working_days_waited

    calendar_years(2026)
    starts = [dt.date(2026, 11, 9), dt.date(2026, 11, 14), dt.date(2026, 11, 16)]
    with django_assert_num_queries(2):
        waited = working_days_waited(starts, dt.date(2026, 11, 16))
    assert waited == {starts[0]: 5, starts[1]: 1, starts[2]: 0}
    later = working_days_waited([dt.date(2026, 12, 30)], dt.date(2031, 1, 6))
    assert later == {dt.date(2026, 12, 30): None}


def test_a_global_review_permission_does_not_open_another_departments_plans(client, clock):
    from django.contrib.auth.models import Permission

    datong = submitted_plan(name="大同材料二", department=bureau("大同市"))
    user = reviewer("太原市")
    user.user_permissions.add(Permission.objects.get(codename="review_application"))
    page = home(client, user)
    assert datong.full_name not in page and rows(page) == []


def test_reviewer_and_applicant_home_query_counts_are_flat(client, clock):
    org = OrganizationFactory()
    owner = applicant(org)
    user = reviewer("太原市")

    def world():
        OrganizationFactory(
            status=Organization.Status.PENDING, verifying_department=reviewer("太原市").department
        )
        submitted_plan()
        app = submitted_plan(org=org, user=owner)
        application_transition(
            actor=user, application_id=app.pk, transition="return_plan", reason="补充"
        )

    world()
    one_reviewer, page = _count(client, user)
    assert len(rows(page)) == 2  # the returned plan is back with the applicant
    one_applicant, page = _count(client, owner)
    assert len(rows(page)) == 1
    for _ in range(3):
        world()
    many_reviewer, page = _count(client, user)
    assert len(rows(page)) == 8
    many_applicant, page = _count(client, owner)
    assert len(rows(page)) == 4
    assert (many_reviewer, many_applicant) == (one_reviewer, one_applicant)


def test_expert_seats_and_officer_conclusions_query_counts_are_flat(client, clock):
    pool(technical=1, management=1, financial=1)
    expert_user = User.objects.filter(groups__name="role:expert").order_by("pk").first()
    boss = officer()

    def panels():
        invited = form_panel(
            plan_in_expert_review(org=OrganizationFactory()), boss, size=3, counts=(1, 1, 1)
        )
        declared = form_panel(
            plan_in_expert_review(org=OrganizationFactory()), boss, size=3, counts=(1, 1, 1)
        )
        seat = declared.members.get(expert__user=expert_user)
        members_services.member_respond(actor=expert_user, member_id=seat.pk, accept=True)
        signed = form_panel(
            plan_in_expert_review(org=OrganizationFactory()), boss, size=3, counts=(1, 1, 1)
        )
        seats = accept_all(signed)
        members_services.panel_set_chair(actor=boss, panel_id=signed.pk, member_id=seats[0].pk)
        score_all(signed)
        sign_opinion(signed, seats[0])
        return invited

    panels()
    one_expert, page = _count(client, expert_user)
    assert sorted(kinds(page)) == ["待申报利益冲突", "待答复的评审邀请"]
    one_officer, page = _count(client, boss)
    assert kinds(page) == ["待作出专家论证结论"]
    for _ in range(2):
        panels()
    many_expert, page = _count(client, expert_user)
    assert sorted(kinds(page)) == ["待申报利益冲突"] * 3 + ["待答复的评审邀请"] * 3
    many_officer, page = _count(client, boss)
    assert kinds(page) == ["待作出专家论证结论"] * 3
    assert (many_expert, many_officer) == (one_expert, one_officer)
