"""Organization self-registration, verification by the city bureau, invitations."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import City, Organization, User
from accounts.services.registration import organization_verify
from applications.models import OrganizationRegistration
from applications.services import TransitionError, application_submit
from applications.testing import MINIMAL_PDF, make_complete_plan
from audit.selectors import events_for
from notifications.models import Message
from tests.factories import UserFactory, officer, reviewer, valid_credit_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def form_data(**overrides):
    data = {
        "name": "太原新材料研究院有限公司",
        "credit_code": valid_credit_code(),
        "org_type": "research_institute",
        "registered_province": "山西省",
        "registered_city": City.objects.get(name="太原市").pk,
        "address": "太原市小店区科技街1号",
        "is_legal_person": "on",
        "contact_name": "王联系",
        "contact_phone": "0351-7654321",
        "contact_email": "contact@example.com",
        "licence": SimpleUploadedFile("营业执照.pdf", MINIMAL_PDF),
        "username": "newlead",
        "last_name": "王",
        "first_name": "首位",
        "email": "newlead@example.com",
        "password1": "Str0ng-pass-2026",
        "password2": "Str0ng-pass-2026",
    }
    data.update(overrides)
    return data


def test_invalid_credit_code_message_and_input_kept(client):
    response = client.post(reverse("register"), form_data(credit_code="91140100MA0ABCDEFZ"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码含有不允许的字符" in html or "校验位错误" in html
    assert "太原新材料研究院有限公司" in html and "91140100MA0ABCDEFZ" in html
    assert not Organization.objects.filter(name="太原新材料研究院有限公司").exists()


def test_checksum_error_message(client):
    code = valid_credit_code()
    wrong = code[:17] + ("1" if code[17] != "1" else "2")
    html = client.post(reverse("register"), form_data(credit_code=wrong)).content.decode()
    assert "统一社会信用代码校验位错误（GB 32100-2015），请核对后重新输入。" in html


def test_licence_must_be_pdf_or_image_by_content(client):
    data = form_data(licence=SimpleUploadedFile("营业执照.pdf", b"not a pdf at all"))
    html = client.post(reverse("register"), data).content.decode()
    assert "不是真正的PDF" in html
    assert not User.objects.filter(username="newlead").exists()


def test_register_creates_pending_org_routed_to_city_bureau(client):
    bureau_user = reviewer("太原市")
    other_bureau = reviewer("大同市")
    response = client.post(reverse("register"), form_data())
    assert response.status_code == 302
    org = Organization.objects.get(name="太原新材料研究院有限公司")
    assert org.status == "pending"
    assert org.verifying_department.name == "太原市科学技术局"
    user = User.objects.get(username="newlead")
    assert user.organization == org and user.has_role("applicant")
    reg = OrganizationRegistration.objects.get(organization=org)
    assert reg.registered_by == user and reg.licence_name == "营业执照.pdf"
    assert [e.action for e in events_for(target=org)] == ["organization.register"]
    assert Message.objects.filter(recipient=bureau_user, subject__contains=org.name).exists()
    assert not Message.objects.filter(recipient=other_bureau).exists()
    # logged in; the home page says it waits for verification
    home = client.get(reverse("applications:home")).content.decode()
    assert "太原市科学技术局" in home


def test_outside_shanxi_goes_to_the_province(client):
    client.post(
        reverse("register"),
        form_data(registered_province="河北省", registered_city=""),
    )
    org = Organization.objects.get(name="太原新材料研究院有限公司")
    assert org.registered_city is None
    assert org.verifying_department.kind == "province_st"


def test_shanxi_org_needs_a_city(client):
    html = client.post(reverse("register"), form_data(registered_city="")).content.decode()
    assert "山西省内单位请选择注册地所在的市" in html


def _register(client):
    client.post(reverse("register"), form_data())
    client.logout()
    return Organization.objects.get(name="太原新材料研究院有限公司"), User.objects.get(
        username="newlead"
    )


def test_pending_org_can_draft_but_not_submit_then_bureau_verifies(client):
    org, user = _register(client)
    app = make_complete_plan(org, user)
    with pytest.raises(TransitionError):
        application_submit(actor=user, application_id=app.pk)
    client.force_login(user)
    html = client.post(reverse("applications:submit", args=[app.pk])).content.decode()
    assert "核验通过后方可提交" in html

    bureau_user = reviewer("太原市")
    client.force_login(bureau_user)
    listing = client.get(reverse("registration_pending")).content.decode()
    assert org.name in listing
    detail_url = reverse("registration_pending_detail", args=[org.pk])
    licence = client.get(reverse("registration_licence", args=[org.pk]))
    assert b"".join(licence.streaming_content) == MINIMAL_PDF
    refused = client.post(detail_url, {"decision": "refuse", "reason": ""})
    assert "不予通过核验时须填写理由。" in refused.content.decode()
    assert client.post(detail_url, {"decision": "verify"}).status_code == 302
    org.refresh_from_db()
    assert org.status == "verified"
    assert [e.action for e in events_for(target=org)][-1] == "organization.verify"
    assert Message.objects.filter(recipient=user, subject__contains="核验通过").exists()

    app = application_submit(actor=user, application_id=app.pk)
    assert app.status == "dept_review"


def test_refuse_with_reason(client):
    org, user = _register(client)
    organization_verify(
        actor=reviewer("太原市"), organization_id=org.pk, approve=False, reason="营业执照不清晰"
    )
    org.refresh_from_db()
    assert org.status == "refused"
    assert org.registration.reason == "营业执照不清晰"
    event = list(events_for(target=org))[-1]
    assert event.action == "organization.refuse" and event.data["reason"] == "营业执照不清晰"


def test_other_bureau_expert_and_anonymous_cannot_verify(client):
    org, _user = _register(client)
    detail_url = reverse("registration_pending_detail", args=[org.pk])
    licence_url = reverse("registration_licence", args=[org.pk])
    # the other bureau and the officer see the list without this organization; the expert none
    for person, status in (
        (reviewer("大同市"), 200),
        (UserFactory(roles=["expert"]), 403),
        (officer(), 200),
    ):
        client.force_login(person)
        listing = client.get(reverse("registration_pending"))
        assert listing.status_code == status, person
        page = listing.content.decode()
        assert org.name not in page
        assert ("待核验单位" in page) is (status == 200)  # the real list, only without it
        assert client.get(detail_url).status_code == 404
        assert client.post(detail_url, {"decision": "verify"}).status_code == 404
        assert client.get(licence_url).status_code == 404
    client.logout()
    assert client.get(detail_url).status_code == 302
    org.refresh_from_db()
    assert org.status == "pending"


def test_invite_flow(client, settings):
    settings.INBOX_COUNT_SECONDS = 60  # the home's "who registered" is cached per user
    org, user = _register(client)
    client.force_login(user)
    invite = f'href="{reverse("registration_invite")}"'
    assert invite not in client.get(reverse("applications:home")).content.decode()  # pending
    organization_verify(actor=reviewer("太原市"), organization_id=org.pk, approve=True)
    assert invite in client.get(reverse("applications:home")).content.decode()
    response = client.post(
        reverse("registration_invite"),
        {
            "username": "colleague",
            "last_name": "李",
            "first_name": "同事",
            "email": "c@example.com",
        },
    )
    assert response.status_code == 302
    colleague = User.objects.get(username="colleague")
    assert colleague.organization == org and colleague.has_role("applicant")
    assert not colleague.has_usable_password()
    message = Message.objects.get(recipient=colleague)
    link = re.search(r"(/accounts/register/invite/[^/\s]+/[^/\s]+/)", message.body).group(1)
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    done = client.post(
        link, {"new_password1": "Another-pass-2026", "new_password2": "Another-pass-2026"}
    )
    assert done.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password("Another-pass-2026")
    client.logout()
    assert client.get(link).status_code == 400  # one-time
    # the colleague sees the organization's plans
    app = make_complete_plan(org, user)
    client.force_login(colleague)
    assert client.get(reverse("applications:detail", args=[app.pk])).status_code == 200
    # only the first user may invite
    assert client.get(reverse("registration_invite")).status_code == 403
    assert invite not in client.get(reverse("applications:home")).content.decode()


def test_pending_org_cannot_invite(client):
    org, user = _register(client)
    client.force_login(user)
    response = client.post(
        reverse("registration_invite"),
        {
            "username": "colleague",
            "last_name": "李",
            "first_name": "同事",
            "email": "c@example.com",
        },
    )
    assert "核验通过后才能邀请" in response.content.decode()
    assert not User.objects.filter(username="colleague").exists()
