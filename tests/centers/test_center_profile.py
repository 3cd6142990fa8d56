"""My center and the profile (Art. 10–13): initialised at designation, routine edits with an
audit of old and new values, structure read-only, refused for everyone else."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from centers.models import Center, CenterProfile, CoBuilder, GovernanceMember, PublicService
from centers.services import profile as profile_services
from tests.factories import applicant, officer, reviewer
from tests.forms.browser import form_data

from .center_factories import designated_center

pytestmark = pytest.mark.django_db


@pytest.fixture
def center_and_staff(db):
    return designated_center()


def test_designation_initialises_the_profile_from_the_plan(center_and_staff):
    center, _staff = center_and_staff
    profile = CenterProfile.objects.get(center=center)
    assert profile.legal_entity_type == "enterprise"
    assert profile.contact_name == "王联系"
    director = GovernanceMember.objects.get(center=center, body="director")
    assert director.name == "李正高" and director.position == "研究员"
    cobuilder = CoBuilder.objects.get(center=center)
    assert (cobuilder.name, cobuilder.mode, cobuilder.committed_wan) == (
        "山西共建大学",
        "agreement",
        800,
    )
    assert cobuilder.paid_in_wan == 0
    assert list(PublicService.objects.filter(center=center).values_list("name", flat=True)) == [
        "检验检测",
        "人员培训",
    ]


def test_center_page_for_staff_department_and_province(client, center_and_staff):
    center, staff = center_and_staff
    url = reverse("centers:center_detail", args=[center.pk])
    client.force_login(staff)
    mine = client.get(reverse("centers:my_centers"))
    assert mine.status_code == 302 and mine.url == url
    page = client.get(url).content.decode()
    assert center.number in page and "李正高" in page and "山西共建大学" in page
    assert "协议制" in page and "检验检测" in page
    assert reverse("centers:profile_edit", args=[center.pk]) in page
    assert "2026年度报告" in page or "2026" in page  # next due: the designation year's report
    assert 'id="center-changes"' in page  # the change requests block
    home = client.get("/").content.decode()
    assert reverse("centers:my_centers") in home and center.name in home
    for user in (reviewer("太原市"), officer()):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert center.name in page
        assert reverse("centers:profile_edit", args=[center.pk]) not in page


def test_routine_edit_writes_old_and_new_values_once(client, center_and_staff):
    center, staff = center_and_staff
    client.force_login(staff)
    url = reverse("centers:profile_edit", args=[center.pk])
    data = form_data(client.get(url).content.decode(), "contact_phone")
    data["contact_phone"] = ["0351-7654321"]
    data["members-1-body"] = ["expert_committee"]
    data["members-1-name"] = ["赵专家"]
    data["members-1-affiliation"] = ["太原理工大学"]
    data["services-0-description"] = ["对外提供材料成分检验检测。"]
    response = client.post(url, data)
    assert response.status_code == 302
    profile = CenterProfile.objects.get(center=center)
    assert profile.contact_phone == "0351-7654321"
    assert GovernanceMember.objects.filter(
        center=center, body="expert_committee", name="赵专家"
    ).exists()
    event = AuditEvent.objects.get(action="centers.profile_updated")
    assert event.data["old"]["contact_phone"] == "0351-1234567"
    assert event.data["new"]["contact_phone"] == "0351-7654321"
    assert set(event.data["old"]) == {"contact_phone", "members", "services"}
    assert event.data["new"]["services"][0]["description"] == "对外提供材料成分检验检测。"


def test_open_the_stored_profile_form_and_save_unchanged_changes_nothing(client, center_and_staff):
    center, staff = center_and_staff
    client.force_login(staff)
    url = reverse("centers:profile_edit", args=[center.pk])
    before = profile_services.snapshot(center)
    stamp = CenterProfile.objects.get(center=center).updated_at
    events = AuditEvent.objects.count()
    response = client.post(url, form_data(client.get(url).content.decode(), "contact_phone"))
    assert response.status_code == 302
    assert profile_services.snapshot(center) == before
    assert CenterProfile.objects.get(center=center).updated_at == stamp
    assert AuditEvent.objects.count() == events


def test_internal_unit_needs_its_planned_date_and_keeps_what_was_typed(client, center_and_staff):
    center, staff = center_and_staff
    client.force_login(staff)
    url = reverse("centers:profile_edit", args=[center.pk])
    data = form_data(client.get(url).content.decode(), "contact_phone")
    data["legal_entity_type"] = ["internal_unit_in_transition"]
    data["contact_name"] = ["新联系人"]
    page = client.post(url, data).content.decode()
    assert "内设机构须填写计划成为独立法人实体的日期（第十条）" in page
    assert "新联系人" in page
    assert CenterProfile.objects.get(center=center).contact_name == "王联系"
    data["transition_planned_on"] = ["2028-06-30"]
    assert client.post(url, data).status_code == 302
    profile = CenterProfile.objects.get(center=center)
    assert profile.transition_planned_on == dt.date(2028, 6, 30)


def test_name_and_structure_are_read_only_here(client, center_and_staff):
    center, staff = center_and_staff
    client.force_login(staff)
    url = reverse("centers:profile_edit", args=[center.pk])
    html = client.get(url).content.decode()
    data = form_data(html, "contact_phone")
    assert not {"name", "industry_field", "cobuilders"} & set(data)
    data["name"] = ["山西省改名技术创新中心"]
    data["cobuilders-0-name"] = ["偷偷加入的单位"]
    client.post(url, data)
    center.refresh_from_db()
    assert center.name.endswith("碳基新材料技术创新中心") or "碳基新材料" in center.name
    assert list(CoBuilder.objects.filter(center=center).values_list("name", flat=True)) == [
        "山西共建大学"
    ]


def test_paid_in_investment_within_commitment_is_a_database_rule(center_and_staff):
    center, _staff = center_and_staff
    for committed, paid in ((100, 120), (-1, 0)):
        with pytest.raises(IntegrityError), transaction.atomic():
            CoBuilder.objects.create(
                center=center, name="超额单位", committed_wan=committed, paid_in_wan=paid
            )


def test_refused_side_of_every_profile_url(client, center_and_staff):
    center, _staff = center_and_staff
    urls = [
        reverse("centers:center_detail", args=[center.pk]),
        reverse("centers:profile_edit", args=[center.pk]),
    ]
    before = profile_services.snapshot(center)
    for url in urls:
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url
        for user in (applicant(), reviewer("大同市")):
            client.force_login(user)
            assert client.get(url).status_code == 404
            assert client.post(url, {"contact_phone": "110"}).status_code == 404
    client.force_login(reviewer("太原市"))  # sees the center, may not keep it
    edit = reverse("centers:profile_edit", args=[center.pk])
    assert client.post(edit, {"contact_phone": "110"}).status_code == 403
    client.force_login(applicant())
    assert client.get(reverse("centers:my_centers")).status_code == 403
    assert profile_services.snapshot(center) == before
    assert not AuditEvent.objects.filter(action="centers.profile_updated").exists()
    assert Center.objects.get(pk=center.pk).name == center.name
