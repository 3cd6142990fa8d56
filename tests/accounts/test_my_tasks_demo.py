"""With the demo data (seed_demo), every demo account's home lists each thing the demo has
waiting for it, and nothing else. The expected items are read from the database with
plain queries, independently of the task providers."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department, Organization, User
from applications.models import Application
from centers.models import OPEN_OBJECTION_STATUSES, Meeting, MeetingItem, Objection, PublicityNotice
from reviews.models import Panel, PanelMember
from tests.accounts.test_my_tasks import nav_count

pytestmark = pytest.mark.django_db

TITLE = re.compile(r'class="home-task-title[^"]*" href="([^"]+)">(.*?)</a>', re.S)
S = Application.Status


def listed(client, user) -> list[tuple[str, str]]:
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    found = [(url, html.unescape(title)) for url, title in TITLE.findall(page)]
    assert nav_count(page) == len(found)
    return sorted(found)


def _review(app):
    return (
        reverse("applications:review_detail", args=[app.pk]),
        f"{app.full_name}（{app.organization.name}）",
    )


def expected_for(user, today) -> list[tuple[str, str]]:
    out = []
    roles = {g.split(":", 1)[1] for g in user.groups.values_list("name", flat=True)}
    if user.department_id and ("department_reviewer" in roles or "provincial_officer" in roles):
        pending = Organization.objects.filter(
            status=Organization.Status.PENDING, verifying_department=user.department
        )
        if "department_reviewer" not in roles:
            pending = pending.filter(verifying_department__kind=Department.Kind.PROVINCE_ST)
        out += [(reverse("registration_pending_detail", args=[o.pk]), o.name) for o in pending]
    if "department_reviewer" in roles:
        apps = Application.objects.filter(status=S.DEPT_REVIEW, department=user.department)
        out += [_review(a) for a in apps]
    if "provincial_officer" in roles:
        out += [_review(a) for a in Application.objects.filter(status=S.PROVINCE_RECHECK)]
        out += [
            (reverse("reviews:panel_new", args=[a.pk]), _review(a)[1])
            for a in Application.objects.filter(status=S.EXPERT_REVIEW, panel__isnull=True)
        ]
        out += [
            (reverse("reviews:panel_detail", args=[p.pk]), p.application.full_name)
            for p in Panel.objects.filter(status="open", opinion_finalized_at__isnull=False)
        ]
        approved = MeetingItem.objects.filter(meeting__status="closed", decision="approve")
        for app in Application.objects.filter(status=S.AWAITING_MEETING):
            if approved.filter(application=app).exists():
                if not hasattr(app, "publicity_item"):
                    out.append((reverse("centers:notice_publish"), app.full_name))
            elif not app.meeting_items.filter(meeting__status="open").exists():
                out.append((reverse("centers:meeting_list"), _review(app)[1]))
        out += [
            (reverse("centers:meeting_detail", args=[m.pk]), m.title)
            for m in Meeting.objects.filter(status="open")
        ]
        out += [
            (reverse("centers:notice_manage", args=[n.pk]), n.title)
            for n in PublicityNotice.objects.filter(start_date__lte=today, end_date__gte=today)
        ]
        out += [
            (
                reverse("centers:objection_detail", args=[o.pk]),
                f"{o.receipt_number}：{o.item.application.full_name}",
            )
            for o in Objection.objects.filter(status__in=OPEN_OBJECTION_STATUSES)
        ]
        for app in Application.objects.filter(
            status=S.PUBLICITY, publicity_item__notice__end_date__lt=today
        ):
            if not Objection.objects.filter(
                item__application=app, status__in=OPEN_OBJECTION_STATUSES
            ).exists():
                notice = app.publicity_item.notice
                out.append((reverse("centers:notice_manage", args=[notice.pk]), app.full_name))
    if "expert" in roles:
        seats = PanelMember.objects.filter(expert__user=user, panel__status="open")
        for seat in seats.filter(status="invited"):
            out.append(
                (reverse("reviews:member_detail", args=[seat.pk]), seat.panel.application.full_name)
            )
        for seat in seats.filter(status="accepted").exclude(sheet__submitted_at__isnull=False):
            name = (
                "reviews:member_detail"
                if seat.no_conflict_declared_at is None
                else "reviews:member_score"
            )
            out.append((reverse(name, args=[seat.pk]), seat.panel.application.full_name))
        chairs = seats.filter(
            is_chair=True, status="accepted", panel__opinion_finalized_at__isnull=True
        ).annotate(
            submitted=Count(
                "panel__members",
                filter=Q(
                    panel__members__status="accepted",
                    panel__members__sheet__submitted_at__isnull=False,
                ),
            )
        )
        for seat in chairs:
            if seat.submitted == seat.panel.size:
                out.append(
                    (
                        reverse("reviews:member_opinion", args=[seat.pk]),
                        seat.panel.application.full_name,
                    )
                )
    if "applicant" in roles and user.organization_id:
        mine = Application.objects.filter(organization_id=user.organization_id)
        out += [
            (reverse("applications:detail", args=[a.pk]), a.full_name)
            for a in mine.filter(status=S.RETURNED)
        ]
        out += [
            (reverse("reviews:improve", args=[a.pk]), a.full_name)
            for a in mine.filter(status=S.IMPROVING)
        ]
    return sorted(out)


MODULES = {
    "accounts.tasks_inbox",
    "applications.tasks_inbox",
    "reviews.tasks_inbox",
    "centers.tasks_inbox",
}


def test_every_demo_account_sees_what_the_demo_has_waiting_for_it(
    client, settings, frozen_clock, tmp_path, monkeypatch
):
    from accounts import inbox

    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    users = list(User.objects.filter(is_active=True).order_by("username"))
    expected = {user.username: expected_for(user, today) for user in users}
    # with every provider (later steps plug theirs in): each expected item is listed
    for user in users:
        shown = listed(client, user)
        assert set(expected[user.username]) <= set(shown), user.username
    # with the providers of these steps alone: exactly the expected items
    mine = {k: v for k, v in inbox._providers.items() if v.__module__ in MODULES}
    assert len(mine) >= 14
    monkeypatch.setattr(inbox, "_providers", mine)
    inbox.invalidate_counts()  # what was cached was gathered with every provider
    for user in users:
        assert listed(client, user) == expected[user.username], user.username
    # the demo gives work to the reviewer, the officer, the experts and an applicant
    waiting = {name for name, items in expected.items() if items}
    assert {"reviewer_ty", "officer", "expert1", "applicant"} <= waiting
