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


def test_officer_reissues_from_the_detail_page(client, center, notice):
    client.force_login(officer())
    page = client.get(reverse("documents:detail", kwargs={"pk": notice.pk})).content.decode()
    assert "晋科发〔2026〕1号" in page
    assert f'action="/documents/{notice.pk}/reissue/"' in page
    old = stored(notice)

    empty = client.post(reverse("documents:reissue", kwargs={"pk": notice.pk}), {"reason": "  "})
    assert empty.status_code == 400
    assert "请填写更正原因。" in empty.content.decode()

    done = client.post(
        reverse("documents:reissue", kwargs={"pk": notice.pk}), {"reason": "牵头单位名称有误"}
    )
    corrected = notices_for(center).first()
    assert done.status_code == 302
    assert done.url == reverse("documents:detail", kwargs={"pk": corrected.pk})
    assert corrected.number == "晋科发〔2026〕2号"
    assert stored(notice) == old

    again = client.post(
        reverse("documents:reissue", kwargs={"pk": notice.pk}), {"reason": "再次更正"}
    )
    body = again.content.decode()
    assert again.status_code == 409
    assert "已被晋科发〔2026〕2号更正" in body
    assert "再次更正" in body  # what the officer typed is kept
    assert notices_for(center).count() == 2


def test_lead_organization_reads_but_cannot_reissue(client, center, notice):
    client.force_login(applicant(center.lead_organization))
    page = client.get(reverse("documents:detail", kwargs={"pk": notice.pk}))
    assert page.status_code == 200
    assert "reissue" not in page.content.decode()
    refused = client.post(reverse("documents:reissue", kwargs={"pk": notice.pk}), {"reason": "x"})
    assert refused.status_code == 403
    client.force_login(applicant())
    assert client.get(reverse("documents:detail", kwargs={"pk": notice.pk})).status_code == 404
    assert (
        client.post(
            reverse("documents:reissue", kwargs={"pk": notice.pk}), {"reason": "x"}
        ).status_code
        == 404
    )
    assert notices_for(center).count() == 1


def test_administrator_raises_the_counter_in_the_admin_but_never_lowers_it(client, notice):
    from numbering.models import Sequence

    admin_user = UserFactory(roles=["administrator"], is_staff=True)
    client.force_login(admin_user)
    row = Sequence.objects.get(kind="document:晋科发", year=2026)
    change = reverse("admin:numbering_sequence_change", args=[row.pk])
    assert client.get(reverse("admin:documents_issueddocument_changelist")).status_code == 200

    lowered = client.post(change, {"last": 0})
    assert lowered.status_code == 200
    assert "只能调大，不能调小" in lowered.content.decode()
    assert client.post(change, {"last": 40}).status_code == 302
    row.refresh_from_db()
    assert row.last == 40
    center = make_center(name="特种金属材料")
    assert (
        services.issue_designation_notice(center_id=center.pk, now=NOW).number
        == "晋科发〔2026〕41号"
    )
    # Officers without staff access, and everyone else, stay out of the admin.
    client.force_login(officer())
    assert client.get(change).status_code == 302
