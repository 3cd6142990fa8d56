"""Downloading an issued notice: who may, and everyone else gets a 404."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from documents import services
from documents.selectors import documents_visible_to, notices_for
from tests.documents.conftest import make_center
from tests.factories import UserFactory, applicant, bureau, officer, reviewer

NOW = dt.datetime(2026, 10, 13, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def notice(center):
    return services.issue_designation_notice(center_id=center.pk, now=NOW)


def url(document):
    return reverse("documents:download", kwargs={"pk": document.pk})


def stored(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def download(client, user, document):
    if user is not None:
        client.force_login(user)
    return client.get(url(document))


@pytest.mark.parametrize(
    "who",
    ["officer", "administrator", "lead_organization_staff", "organizing_department_staff"],
)
def test_allowed_users_get_the_stored_file(client, center, notice, who):
    user = {
        "officer": officer,
        "administrator": lambda: UserFactory(roles=["administrator"]),
        "lead_organization_staff": lambda: applicant(center.lead_organization),
        "organizing_department_staff": lambda: reviewer("太原市"),
    }[who]()
    response = download(client, user, notice)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == stored(notice)


@pytest.mark.parametrize(
    "who", ["anonymous", "other_applicant", "other_city_reviewer", "expert", "evaluator"]
)
def test_everyone_else_gets_404(client, center, notice, who):
    user = {
        "anonymous": lambda: None,
        "other_applicant": applicant,  # staff of another organization
        "other_city_reviewer": lambda: reviewer("大同市"),
        "expert": lambda: UserFactory(roles=["expert"]),
        "evaluator": lambda: UserFactory(roles=["evaluator"]),
    }[who]()
    response = download(client, user, notice)
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_lead_organization_sees_only_its_own_notice(client, center, notice):
    other_center = make_center(name="煤机智能制造", city_name="大同市", field_code="F06")
    other_notice = services.issue_designation_notice(center_id=other_center.pk, now=NOW)
    user = applicant(center.lead_organization)
    client.force_login(user)
    assert client.get(url(notice)).status_code == 200
    assert client.get(url(other_notice)).status_code == 404
    assert list(documents_visible_to(user=user)) == [notice]
    assert list(documents_visible_to(user=reviewer("大同市"))) == [other_notice]
    assert set(documents_visible_to(user=officer())) == {notice, other_notice}


def test_download_refuses_post_and_unknown_ids(client, notice):
    client.force_login(officer())
    assert client.post(url(notice)).status_code == 405
    assert (
        client.get(reverse("documents:download", kwargs={"pk": notice.pk + 1000})).status_code
        == 404
    )


def test_notices_for_lists_a_centers_notices(center, notice):
    corrected = services.reissue_designation_notice(
        actor=officer(), document_id=notice.pk, reason="日期有误", now=NOW
    )
    assert list(notices_for(center)) == [corrected, notice]
    assert corrected.supersedes == notice
    assert notice.superseded_by == corrected
    assert bureau("太原市") == center.department
