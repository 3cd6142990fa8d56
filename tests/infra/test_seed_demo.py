import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import User

DEMO_USERNAMES = [
    "applicant",
    "applicant2",
    "reviewer_ty",
    "reviewer_dt",
    "officer",
    "expert1",
    "evaluator",
    "admin",
]


def row_counts():
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()


@pytest.mark.django_db
def test_seed_demo_creates_accounts_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    first = row_counts()

    assert f"密码均为 {DEMO_PASSWORD}" in out
    for username in DEMO_USERNAMES:
        assert username in out
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
    assert "申报单位" in out and "省科技厅" in out  # role labels in Chinese

    call_command("seed_demo")
    assert row_counts() == first


# --------------------------------------------------------------------------- the demo as a newcomer sees it


@pytest.fixture
def seeded(settings, db):
    settings.DEBUG = True
    call_command("seed_demo")


def test_each_demo_organization_has_its_own_contact_in_its_own_city(seeded):
    from accounts.models import Organization

    orgs = list(
        Organization.objects.filter(name__contains="示范").select_related("registered_city")
    )
    assert len(orgs) >= 4  # the three of accounts.demo and the pending registration
    for field in ("contact_name", "contact_phone", "address"):
        values = [getattr(org, field) for org in orgs]
        assert len(set(values)) == len(values), f"demo organizations share {field}: {values}"
    for org in orgs:
        assert org.registered_city.name in org.address, (org.name, org.address)


def test_demo_opinions_claim_no_site_inspection_without_a_record(seeded):
    from reviews.models import Panel

    concluded = Panel.objects.exclude(opinion_summary="")
    assert concluded.exists()
    for panel in concluded:
        if not panel.visits.exists():
            for claim in ("实地考察", "现场考察", "现场答辩", "现场核查"):
                assert claim not in panel.opinion_summary, panel.opinion_summary


def test_demo_version_two_differs_from_version_one(seeded):
    from applications.models import ApplicationVersion

    second = ApplicationVersion.objects.filter(number=2).select_related("application")
    assert second.exists()
    for v2 in second:
        v1 = ApplicationVersion.objects.get(application=v2.application, number=1)
        assert v2.data != v1.data, f"version 2 of {v2.application} is a copy of version 1"


@pytest.mark.parametrize("when", ["2026-12-28", "2028-03-01", "2027-10-08"])
def test_the_demo_starts_with_a_current_notice_on_any_date(settings, db, when):
    import datetime as dt
    import zoneinfo

    import time_machine

    from centers.selectors import current_notices
    from workdays.models import Year

    settings.DEBUG = True
    day = dt.date.fromisoformat(when)
    with time_machine.travel(
        dt.datetime.combine(day, dt.time(10), tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    ):
        call_command("seed_demo")
        notices = list(current_notices())
    assert notices, f"no current publicity notice after seed_demo on {when}"
    assert notices[0].start_date == day
    # only the missing years the demo needs became demo arrangements; the official ones stay
    demo_years = set(Year.objects.filter(is_demo=True).values_list("year", flat=True))
    assert demo_years == {y for y in (day.year - 1, day.year, day.year + 1) if y >= 2027} & {
        (day - dt.timedelta(days=31)).year,
        day.year,
        (day + dt.timedelta(days=21)).year,
    }
    assert not Year.objects.filter(year__lte=2026, is_demo=True).exists()


def test_the_demo_center_has_a_profile_an_accepted_and_a_submitted_report(seeded):
    from centers.models import AnnualReport, Center, CenterProfile, GovernanceMember

    center = Center.objects.get(name__contains="特种金属材料")
    assert CenterProfile.objects.filter(center=center).exists()
    assert GovernanceMember.objects.filter(center=center, body="expert_committee").count() == 2
    statuses = dict(AnnualReport.objects.filter(center=center).values_list("year", "status"))
    year = center.designated_on.year
    assert statuses == {year - 1: "accepted", year: "submitted"}


def test_the_demo_rename_waits_in_the_provinces_queue(seeded, client):
    from django.urls import reverse

    from accounts.models import User
    from centers.models import Center
    from centers.models_changes import CenterChangeRequest

    center = Center.objects.get(name__contains="特种金属材料")
    request = CenterChangeRequest.objects.get(center=center)
    assert (request.kind, request.status) == ("rename", "province_review")
    assert request.dept_opinion and request.attachments.count() == 1
    client.force_login(User.objects.get(username="officer"))
    queue = client.get(reverse("centers:change_list")).content.decode()
    assert "山西省特种金属及先进结构材料技术创新中心" in queue
