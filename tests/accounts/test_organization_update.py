"""An organization's own staff change its data: service and view, from both sides."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import City, Department, Organization
from accounts.services.changes import organization_update
from accounts.services.registration import (
    identity_fingerprint,
    organization_register,
    organization_verify,
)
from applications.eligibility import problems
from applications.models import Application, OrganizationRegistration
from applications.services import TransitionError, application_submit
from applications.testing import MINIMAL_PDF, make_complete_plan
from audit.models import AuditEvent
from audit.selectors import events_for
from notifications.models import Message
from tests.factories import (
    OrganizationFactory,
    UserFactory,
    applicant,
    officer,
    reviewer,
    valid_credit_code,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _city(name):
    return City.objects.get(name=name)


def _registered(*, verified=True, province="山西省", city="太原市"):
    """An organization registered through the service (with its registration record)."""
    org, user = organization_register(
        organization={
            "name": "太原新材料研究院有限公司",
            "credit_code": valid_credit_code(),
            "org_type": "research_institute",
            "registered_province": province,
            "registered_city": _city(city) if city else None,
            "address": "太原市小店区科技街1号",
            "is_legal_person": True,
            "contact_name": "王联系",
            "contact_phone": "0351-7654321",
        },
        user={
            "username": "lead",
            "last_name": "王",
            "first_name": "首位",
            "email": "lead@example.com",
            "password": "Str0ng-pass-2026",
        },
        licence=SimpleUploadedFile("营业执照.pdf", MINIMAL_PDF),
        licence_name="营业执照.pdf",
        licence_content_type="application/pdf",
        contact_email="contact@example.com",
    )
    if verified:
        verifier = reviewer(city) if province == "山西省" else officer()
        organization_verify(actor=verifier, organization_id=org.pk, approve=True)
        org.refresh_from_db()
    return org, user


def _update_events(org):
    return [e for e in events_for(target=org) if e.action == "organization.update"]


# ---- service -------------------------------------------------------------------


def test_address_and_contact_change_needs_no_verification():
    org, user = _registered()
    bureau_user = reviewer("太原市", username="ty_reviewer")
    Message.objects.all().delete()
    result = organization_update(
        actor=user,
        organization_id=org.pk,
        data={
            "address": "太原市万柏林区新路2号",
            "contact_name": "李联系",
            "contact_email": "new@example.com",
        },
    )
    org.refresh_from_db()
    assert result.changed and not result.reverify
    assert org.status == "verified"
    assert org.address == "太原市万柏林区新路2号" and org.contact_name == "李联系"
    assert org.registration.contact_email == "new@example.com"
    (event,) = _update_events(org)
    assert event.actor == user
    assert event.data["label"] == "变更单位信息"
    assert event.data["old"] == {
        "address": "太原市小店区科技街1号",
        "contact_name": "王联系",
        "contact_email": "contact@example.com",
    }
    assert event.data["new"] == {
        "address": "太原市万柏林区新路2号",
        "contact_name": "李联系",
        "contact_email": "new@example.com",
    }
    assert event.from_state == "" and event.to_state == ""
    assert not Message.objects.filter(recipient=bureau_user).exists()


def test_moving_outside_shanxi_goes_back_to_pending_at_the_province():
    org, user = _registered()
    province_officer = officer(username="prov_officer")
    ty_reviewer = reviewer("太原市", username="ty_reviewer")
    app = make_complete_plan(org, user)
    Message.objects.all().delete()

    result = organization_update(
        actor=user,
        organization_id=org.pk,
        data={"registered_province": "河北省", "registered_city": _city("太原市")},
    )
    org.refresh_from_db()
    assert result.reverify
    assert org.status == "pending"
    assert org.registered_city is None  # a city of Shanxi makes no sense outside it
    assert org.verifying_department == Department.province()
    (event,) = _update_events(org)
    assert event.from_state == "verified" and event.to_state == "pending"
    assert event.data["old"] == {"registered_province": "山西省", "registered_city": "太原市"}
    assert event.data["new"] == {"registered_province": "河北省", "registered_city": ""}
    assert event.data["reverify"] is True
    assert event.data["verifying_department"] == "山西省科学技术厅"
    # the previous decision is cleared (it stays in the audit trail)
    registration = OrganizationRegistration.objects.get(organization=org)
    assert registration.decided_by is None and registration.decided_at is None
    # the province's officers are told, the old bureau is not
    assert Message.objects.filter(recipient=province_officer, subject__contains="重新核验").exists()
    assert not Message.objects.filter(recipient=ty_reviewer).exists()
    # while pending (and outside Shanxi) the plan cannot be submitted
    with pytest.raises(TransitionError):
        application_submit(actor=user, application_id=app.pk)
    rules = {p["rule"] for p in problems(Application.objects.get(pk=app.pk))}
    assert rules == {"lead_in_shanxi", "organization_verified"}


def test_city_change_reroutes_verification_and_untouched_drafts():
    org, user = _registered()
    dt_reviewer = reviewer("大同市", username="dt_reviewer")
    ty_bureau = Department.objects.get(name="太原市科学技术局")
    dt_bureau = Department.objects.get(name="大同市科学技术局")
    follows = make_complete_plan(org, user, name="碳基材料")  # default: the Taiyuan bureau
    chosen = make_complete_plan(org, user, name="煤化工", department=Department.province())
    submitted = make_complete_plan(org, user, name="氢能")
    application_submit(actor=user, application_id=submitted.pk)

    result = organization_update(
        actor=user, organization_id=org.pk, data={"registered_city": _city("大同市")}
    )
    org.refresh_from_db()
    assert org.status == "pending" and org.verifying_department == dt_bureau
    assert Message.objects.filter(recipient=dt_reviewer, subject__contains=org.name).exists()
    assert [(a.pk, a.department) for a in result.drafts_moved] == [(follows.pk, dt_bureau)]
    assert Application.objects.get(pk=follows.pk).department == dt_bureau
    assert Application.objects.get(pk=chosen.pk).department == Department.province()
    assert Application.objects.get(pk=submitted.pk).department == ty_bureau
    moved = AuditEvent.objects.get(action="application.department_follow")
    assert moved.target_id == str(follows.pk)
    assert moved.data["old"] == {"department": "太原市科学技术局"}
    assert moved.data["new"] == {"department": "大同市科学技术局"}


def test_refused_organization_goes_back_to_pending_on_any_change():
    org, user = _registered(verified=False)
    organization_verify(
        actor=reviewer("太原市"), organization_id=org.pk, approve=False, reason="地址与执照不符"
    )
    result = organization_update(
        actor=user, organization_id=org.pk, data={"address": "太原市小店区科技街9号"}
    )
    org.refresh_from_db()
    assert result.reverify and org.status == "pending"
    assert org.registration.reason == ""
    (event,) = _update_events(org)
    assert (event.from_state, event.to_state) == ("refused", "pending")


def test_new_licence_scan_needs_verification():
    org, user = _registered()
    organization_update(
        actor=user,
        organization_id=org.pk,
        data={},
        licence=SimpleUploadedFile("新营业执照.pdf", MINIMAL_PDF + b"%new"),
        licence_name="新营业执照.pdf",
        licence_content_type="application/pdf",
    )
    org.refresh_from_db()
    assert org.status == "pending"
    assert org.registration.licence_name == "新营业执照.pdf"
    with org.registration.licence.open("rb") as fh:
        assert fh.read().endswith(b"%new")
    (event,) = _update_events(org)
    assert event.data["old"] == {"licence": "营业执照.pdf"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"credit_code": "91140100MA0ABCDEF0"}, "统一社会信用代码"),
        ({"registered_city": None}, "山西省内单位请选择注册地所在的市。"),
        ({"name": ""}, ""),
    ],
)
def test_invalid_data_changes_nothing(data, message):
    org, user = _registered()
    before = Organization.objects.values().get(pk=org.pk)
    with pytest.raises(ValidationError) as exc:
        organization_update(actor=user, organization_id=org.pk, data=data)
    assert message in " ".join(exc.value.messages)
    assert Organization.objects.values().get(pk=org.pk) == before
    assert _update_events(org) == []


def test_credit_code_of_another_organization_is_refused():
    org, user = _registered()
    other = OrganizationFactory()
    with pytest.raises(ValidationError) as exc:
        organization_update(
            actor=user, organization_id=org.pk, data={"credit_code": other.credit_code}
        )
    assert "已被其他单位注册" in exc.value.messages[0]


def test_no_change_writes_nothing():
    org, user = _registered()
    result = organization_update(
        actor=user,
        organization_id=org.pk,
        data={"name": org.name, "address": org.address, "contact_email": "contact@example.com"},
    )
    assert not result.changed
    assert _update_events(org) == []


def test_refused_actors_change_nothing():
    org, user = _registered()
    colleague_without_role = UserFactory(organization=org)
    refused = [
        applicant(OrganizationFactory()),  # another organization's applicant
        reviewer("太原市"),  # the verifying bureau itself
        officer(),
        UserFactory(roles=["expert"]),
        colleague_without_role,
        None,
    ]
    before = Organization.objects.values().get(pk=org.pk)
    for actor in refused:
        with pytest.raises(PermissionDenied):
            organization_update(
                actor=actor, organization_id=org.pk, data={"registered_province": "河北省"}
            )
    assert Organization.objects.values().get(pk=org.pk) == before
    assert _update_events(org) == []


def test_verification_of_data_changed_meanwhile_is_refused():
    org, user = _registered(verified=False)
    bureau_user = reviewer("太原市")
    seen = identity_fingerprint(org)
    organization_update(actor=user, organization_id=org.pk, data={"name": "太原新材料研究院"})
    with pytest.raises(ValidationError) as exc:
        organization_verify(actor=bureau_user, organization_id=org.pk, approve=True, seen=seen)
    assert "变更了注册信息" in exc.value.messages[0]
    org.refresh_from_db()
    assert org.status == "pending"
    organization_verify(
        actor=bureau_user, organization_id=org.pk, approve=True, seen=identity_fingerprint(org)
    )
    org.refresh_from_db()
    assert org.status == "verified"


# ---- views ---------------------------------------------------------------------


def _form(org, **overrides):
    data = {
        "name": org.name,
        "credit_code": org.credit_code,
        "org_type": org.org_type,
        "registered_province": org.registered_province,
        "registered_city": org.registered_city_id or "",
        "address": org.address,
        "is_legal_person": "on" if org.is_legal_person else "",
        "contact_name": org.contact_name,
        "contact_phone": org.contact_phone,
        "contact_email": "contact@example.com",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_page_linked_from_the_organization_page_and_the_plans(client):
    org, user = _registered()
    app = make_complete_plan(org, user)
    client.force_login(user)
    edit_url = reverse("organization_edit", args=[org.pk])
    assert edit_url in client.get(reverse("organization_detail", args=[org.pk])).content.decode()
    home = client.get(reverse("applications:home")).content.decode()
    assert reverse("organization_detail", args=[org.pk]) in home
    lead = client.get(reverse("applications:section", args=[app.pk, "lead"])).content.decode()
    assert edit_url in lead
    page = client.get(edit_url).content.decode()
    assert "变更单位信息" in page and org.credit_code in page and "太原市小店区科技街1号" in page


def test_invalid_credit_code_is_refused_in_chinese_and_input_kept(client):
    org, user = _registered()
    client.force_login(user)
    code = org.credit_code
    wrong = code[:17] + ("1" if code[17] != "1" else "2")
    response = client.post(
        reverse("organization_edit", args=[org.pk]),
        _form(org, credit_code=wrong, name="晋新材料研究院", registered_province="河北省"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码校验位错误（GB 32100-2015），请核对后重新输入。" in html
    assert wrong in html and "晋新材料研究院" in html
    assert '<option value="河北省" selected>' in html
    org.refresh_from_db()
    assert org.credit_code == code and org.status == "verified"
    assert _update_events(org) == []


def test_shanxi_needs_a_city_on_the_form(client):
    org, user = _registered()
    client.force_login(user)
    response = client.post(
        reverse("organization_edit", args=[org.pk]), _form(org, registered_city="")
    )
    assert "山西省内单位请选择注册地所在的市。" in response.content.decode()


def test_province_change_through_the_page(client):
    org, user = _registered()
    client.force_login(user)
    response = client.post(
        reverse("organization_edit", args=[org.pk]),
        _form(org, registered_province="河北省", registered_city=""),
        follow=True,
    )
    html = response.content.decode()
    assert "已提交山西省科学技术厅重新核验" in html
    assert "河北省" in html and "变更单位信息" in html  # profile and its history
    org.refresh_from_db()
    assert org.status == "pending" and org.registered_province == "河北省"


def test_contact_change_through_the_page(client):
    org, user = _registered()
    client.force_login(user)
    response = client.post(
        reverse("organization_edit", args=[org.pk]),
        _form(org, contact_phone="0351-1112222"),
        follow=True,
    )
    assert "单位信息已更新。" in response.content.decode()
    org.refresh_from_db()
    assert org.status == "verified" and org.contact_phone == "0351-1112222"


def test_refused_side_of_the_page(client):
    org, user = _registered()
    url = reverse("organization_edit", args=[org.pk])
    post = _form(org, registered_province="河北省", registered_city="")
    before = Organization.objects.values().get(pk=org.pk)
    for person, status in [
        (applicant(OrganizationFactory()), 404),
        (reviewer("太原市"), 404),
        (officer(), 404),
        (UserFactory(roles=["expert"]), 404),
        (UserFactory(organization=org), 403),  # a member without the applicant role
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status
        assert client.post(url, post).status_code == status
        detail = client.get(reverse("organization_detail", args=[org.pk]))
        assert url not in detail.content.decode()
    client.logout()
    for response in (client.get(url), client.post(url, post)):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Organization.objects.values().get(pk=org.pk) == before
    assert _update_events(org) == []


def test_verifier_sees_the_changes_and_the_old_bureau_loses_the_page(client):
    org, user = _registered()
    ty_reviewer = reviewer("太原市")
    dt_reviewer = reviewer("大同市")
    organization_update(
        actor=user,
        organization_id=org.pk,
        data={"registered_city": _city("大同市"), "org_type": "university"},
    )
    detail = reverse("registration_pending_detail", args=[org.pk])
    client.force_login(ty_reviewer)
    assert client.get(detail).status_code == 404
    client.force_login(dt_reviewer)
    assert org.name in client.get(reverse("registration_pending")).content.decode()
    html = client.get(detail).content.decode()
    assert "organization-changes" in html
    for text in ("注册地（市）", "太原市", "大同市", "单位类型", "科研院所", "高等院校"):
        assert text in html
    # a decision on data the bureau has not seen is refused with a message, then accepted
    stale = client.post(detail, {"decision": "verify", "seen": "0" * 16})
    assert "变更了注册信息" in stale.content.decode()
    org.refresh_from_db()
    assert org.status == "pending"
    fresh = identity_fingerprint(org)
    assert f'name="seen" value="{fresh}"' in stale.content.decode()  # the next try is current
    assert client.get(detail).context["form"].initial["seen"] == fresh
    assert client.post(detail, {"decision": "verify", "seen": fresh}).status_code == 302
    org.refresh_from_db()
    assert org.status == "verified"
    # after the decision there is nothing awaiting verification
    assert "organization-changes" not in client.get(detail).content.decode()


@pytest.mark.parametrize(
    "language, unchanged, moved, label",
    [
        ("zh-hans", "单位信息没有变化。", "已提交山西省科学技术厅重新核验", "新的营业执照"),
        (
            "en",
            "The organization&#x27;s details have not changed.",
            "sent to 山西省科学技术厅 to be verified again",
            "New scan of the business licence",
        ),
    ],
)
def test_the_page_speaks_the_chosen_language(client, settings, language, unchanged, moved, label):
    org, user = _registered()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("organization_edit", args=[org.pk])
    assert label in client.get(url).content.decode()
    same = client.post(url, _form(org), follow=True).content.decode()
    assert unchanged in same
    assert _update_events(org) == []
    moved_page = client.post(
        url, _form(org, registered_province="河北省", registered_city=""), follow=True
    )
    assert moved in moved_page.content.decode()
    events = _update_events(org)
    assert len(events) == 1 and "变更" in events[0].data["label"]  # the record stays Chinese
