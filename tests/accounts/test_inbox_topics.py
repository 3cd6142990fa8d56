"""My tasks gathers again only the providers that read what changed (accounts.inbox_topics):
each provider's part is cached per user under the generations of the topics it reads, the
day, and the user's roles and units. The clock is frozen at TEST_NOW (Monday 2026-11-16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import inbox
from accounts.inbox import Task, rows_provider
from accounts.inbox_topics import topic, touch
from accounts.models import User
from accounts.roles import PROVINCIAL_OFFICER, ROLE_PREFIX
from applications.models import Application
from centers.models import Meeting
from tests.accounts.test_my_tasks import at, home, nav_count, on, rows
from tests.applications.review_factories import plan_in_recheck, submitted_plan
from tests.centers.factories import publicized_plan
from tests.conftest import TEST_NOW
from tests.factories import officer, reviewer

pytestmark = pytest.mark.django_db


def _open_meeting(title="2026年第13次厅务会议"):
    return Meeting.objects.create(title=title, held_on=dt.date(2026, 11, 20), created_by=officer())


OPEN_MEETINGS = 'FROM "centers_meeting" WHERE "centers_meeting"."status" = \'open\''  # its query


def _sql(captured) -> str:
    return "\n".join(q["sql"] for q in captured.captured_queries)


@pytest.mark.query_count
def test_a_decision_gathers_again_only_the_providers_that_read_it(client, clock_nov9, cached):
    plan_in_recheck(name="甲材料")
    _open_meeting()
    at(clock_nov9, TEST_NOW)
    user = officer()
    page = home(client, user)
    assert nav_count(page) == 2 and "甲材料" in page and "2026年第13次厅务会议" in page
    plan_in_recheck(name="乙材料")  # a department approves a plan: it joins the re-check
    with CaptureQueriesContext(connection) as after_decision:
        page = client.get(reverse("home")).content.decode()
    assert nav_count(page) == 3 and len(rows(page)) == 3 and "乙材料" in page
    # the plans to re-check were read again; the open meetings came from the cache
    assert "\"status\" = 'province_recheck'" in _sql(after_decision)
    assert OPEN_MEETINGS not in _sql(after_decision)
    inbox.invalidate_counts()  # everything anew: the meetings are read again too
    with CaptureQueriesContext(connection) as anew:
        again = client.get(reverse("home")).content.decode()
    assert rows(again) == rows(page)
    assert OPEN_MEETINGS in _sql(anew)
    assert len(after_decision.captured_queries) < len(anew.captured_queries)


def test_a_change_the_provider_reads_shows_at_once(client, clock_nov9, cached):
    _open_meeting()
    at(clock_nov9, TEST_NOW)
    user = officer()
    assert "2026年第13次厅务会议" in home(client, user)
    Meeting.objects.filter(title="2026年第13次厅务会议").get().delete()  # post_delete
    page = client.get(reverse("home")).content.decode()
    assert "2026年第13次厅务会议" not in page and nav_count(page) == 0
    _open_meeting("2026年第14次厅务会议")  # post_save
    assert "2026年第14次厅务会议" in client.get(reverse("home")).content.decode()


def test_a_plan_renamed_in_its_state_renames_its_task(client, clock_nov9, cached):
    """The applicant's returned plan: the name is changed with update() (no event)."""
    from applications.services import application_transition, application_update_basics

    first = submitted_plan(name="原名材料")
    app = application_transition(
        actor=reviewer("太原市"), application_id=first.pk, transition="return_plan", reason="补充"
    )
    at(clock_nov9, TEST_NOW)
    user = first._test_applicant
    assert "原名材料" in home(client, user)
    application_update_basics(
        actor=user,
        application_id=app.pk,
        name="新名材料",
        kind=app.kind,
        industry_field=app.industry_field,
        department=app.department,
        strategic_areas=[],
    )
    page = client.get(reverse("home")).content.decode()
    assert "新名材料" in page and "原名材料" not in page


def test_the_day_changing_gathers_again(client, clock_nov9, cached, settings):
    """A publicity period ends at midnight: no row changes, the task goes with the day."""
    # the badge, the home page's entry and the providers' parts would outlive the day
    settings.INBOX_COUNT_SECONDS = settings.INBOX_TASKS_SECONDS = 3 * 24 * 3600
    actor = officer()
    _app, notice = publicized_plan(actor=actor, name="公示中材料", start=dt.date(2026, 11, 10))
    at(clock_nov9, on(notice.end_date.isoformat()))
    page = home(client, actor)
    assert "公示即将结束" in page
    at(clock_nov9, on((notice.end_date + dt.timedelta(days=1)).isoformat()))
    # the home page's entry follows "anything changed" only: a change no provider reads
    # makes it stale (no provider's topic moves), and the providers' parts see the new day
    touch(User)
    page = home(client, actor)  # signed in again: a day is over the staff's idle limit
    assert "公示即将结束" not in page
    assert "待认定 山西省公示中材料技术创新中心" in " ".join(rows(page))


def test_a_new_role_shows_its_tasks(client, clock_nov9, cached):
    from django.contrib.auth.models import Group

    plan_in_recheck(name="甲材料")
    at(clock_nov9, TEST_NOW)
    user = reviewer("太原市")
    assert "甲材料" not in home(client, user)
    user.groups.add(Group.objects.get(name=f"{ROLE_PREFIX}{PROVINCIAL_OFFICER}"))
    user.department = officer().department
    user.save()
    clock_nov9.shift(dt.timedelta(seconds=61))  # the badge's entry is over; the parts are not
    assert "甲材料" in client.get(reverse("home")).content.decode()


def test_the_check_finds_a_provider_that_does_not_declare_what_it_reads(
    client, clock_nov9, cached, settings, monkeypatch
):
    """INBOX_VERIFY (set for a whole run by INBOX_VERIFY=1): a cached part that a fresh one
    contradicts fails the request, naming the provider."""

    @rows_provider("created_at", reads=[topic(Application)])  # but it reads meetings
    def meetings_misdeclared(user):
        def task(meeting) -> Task:
            return Task(kind="会议", title=meeting.title, url="/", since=TEST_NOW.date())

        return Meeting.objects.all(), task

    monkeypatch.delitem(inbox._providers, "centers.tasks_inbox.meetings_to_decide")
    monkeypatch.setitem(inbox._providers, "probe.meetings_misdeclared", meetings_misdeclared)
    settings.INBOX_VERIFY = True
    at(clock_nov9, TEST_NOW)
    user = officer()
    home(client, user)
    Meeting.objects.bulk_create(
        [Meeting(title="悄然新增的会议", held_on=dt.date(2026, 11, 20), created_by=user)]
    )
    touch(User)  # the home page's entry is stale; the probe's topic has not moved
    with pytest.raises(AssertionError, match="stale cached tasks of probe.meetings_misdeclared"):
        client.get(reverse("home"))


def test_a_block_moves_each_topic_once_now_and_every_one_again_at_its_commit(
    cached, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from accounts import inbox_topics
    from centers.models import Objection

    bumps = []
    monkeypatch.setattr(inbox_topics, "_bump", lambda keys: bumps.append(sorted(keys)))
    meeting, objection = "inbox:topic:centers.meeting", "inbox:topic:centers.objection"
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            touch(Meeting)
            touch(Meeting)  # the same block: at its commit only
            assert bumps == [[meeting]]
            try:
                with transaction.atomic():  # a savepoint rolled back: its own block
                    touch(Objection)
                    raise RuntimeError
            except RuntimeError:
                pass
            touch(Objection)  # moved now again: the rolled-back block's commit never comes
            assert bumps == [[meeting], [objection], [objection]]
    assert sorted(key for keys in bumps[3:] for key in keys) == [meeting, objection]  # commit
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        touch(Meeting)  # the next block moves it now again
    assert bumps[-2:] == [[meeting], [meeting]]


def test_the_morning_warm_up_gathers_the_staffs_tasks_before_their_first_page(
    client, clock_nov9, cached
):
    from django.utils import timezone

    from accounts.tasks import warm_my_tasks

    plan_in_recheck(name="甲材料")
    at(clock_nov9, TEST_NOW)
    user = officer(last_login=timezone.now())
    officer(username="idle_officer")  # never signed in: not gathered
    assert warm_my_tasks() == 1
    assert warm_my_tasks() == 1  # again: the same, from the cache
    client.force_login(user)
    with CaptureQueriesContext(connection) as first:
        page = client.get(reverse("home")).content.decode()
    assert nav_count(page) == 1 and "甲材料" in page
    assert "\"status\" = 'province_recheck'" not in _sql(first)  # gathered before
