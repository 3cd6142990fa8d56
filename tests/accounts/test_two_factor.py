"""Two-factor sign-in (issue 15, item 2): required roles, enrolment, the code step, backup
codes, throttling, the administrator's reset, and the gate over every URL pattern."""

from __future__ import annotations

import datetime as dt
import time
from binascii import unhexlify
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import two_factor as service
from accounts.two_factor import PENDING_KEY
from accounts.two_factor_gate import OPEN_URL_NAMES
from audit.models import AuditEvent
from tests.factories import UserFactory, applicant, officer
from tests.infra.matrix_support import counts
from tests.infra.urlwalk import fill, params_of, walk

pytestmark = pytest.mark.django_db

PASSWORD = "Demo-pass-2026"
ENROL = "/accounts/two-factor/enrol/"
VERIFY = "/accounts/two-factor/verify/"


def code(hex_key: str, steps_ahead: int = 0) -> str:
    """The authenticator's code now (or ``steps_ahead`` 30-second steps later)."""
    totp = TOTP(unhexlify(hex_key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


@pytest.fixture(autouse=True)
def clock():
    """Time stands still at the start of a 30-second step: a code stays the same code."""
    moment = dt.datetime(2026, 10, 13, 10, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False) as traveller:
        yield traveller


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def password_login(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def enrol(client) -> tuple[str, list[str]]:
    """Enrol through the pages; returns the key and the backup codes shown once."""
    page = client.get(ENROL)
    assert page.status_code == 200
    key = client.session[PENDING_KEY]
    response = client.post(ENROL, {"token": code(key), "next": "/"})
    assert response.status_code == 302, response.content.decode()[:800]
    shown = client.get(response["Location"])
    codes = shown.context["new_codes"]
    return key, codes


def test_who_must_use_the_second_factor(settings):
    settings.TWO_FACTOR_REQUIRED = False
    assert not service.required_for(officer())
    settings.TWO_FACTOR_REQUIRED = True
    assert service.required_for(officer())
    assert service.required_for(UserFactory(roles=["administrator"]))
    assert service.required_for(UserFactory(roles=["department_reviewer"]))
    assert service.required_for(UserFactory(is_staff=True))
    assert not service.required_for(applicant())
    assert not service.required_for(UserFactory(roles=["expert"]))


def test_off_by_default_in_the_demo_and_tests():
    from django.conf import settings

    assert settings.DEBUG or not settings.TWO_FACTOR_REQUIRED
    client = password_login(officer())
    assert client.get("/").status_code == 200  # no second factor asked


def _url_for(route: str) -> str:
    values = {name: "1" for name in params_of(route)}
    for name in params_of(route):
        if name in ("uidb64", "token", "slug", "code", "receipt", "filename", "kind"):
            values[name] = "x"
    return fill(route, values)


def test_after_the_password_an_officer_reaches_no_page(required):
    """Walk every URL pattern, GET and POST: each one sends the officer to enrolment (or is
    one of the open sign-in pages), and nothing changes in the database."""
    user = officer()
    client = password_login(user)
    before = counts()
    walked = 0
    for route, name in walk():
        if name in OPEN_URL_NAMES or route == "favicon.ico":
            continue
        url = _url_for(route)
        for method in (client.get, client.post):
            response = method(url)
            walked += 1
            if response.status_code == 404:  # the URL did not resolve with dummy values
                continue
            assert response.status_code == 302, (name, url, response.status_code)
            assert response["Location"].startswith(ENROL), (name, url, response["Location"])
    assert walked > 200
    assert counts() == before
    # the admin site too
    response = client.get("/admin/")
    assert response["Location"].startswith(ENROL)


def test_enrolment_shows_a_qr_code_and_stores_nothing_until_confirmed(required):
    user = officer()
    client = password_login(user)
    assert client.get("/")["Location"] == f"{ENROL}?next=%2F"
    page = client.get(ENROL)
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    key = client.session[PENDING_KEY]
    assert client.get(ENROL).context["secret"].replace(" ", "") in page.context["otpauth"]
    assert client.session[PENDING_KEY] == key  # the same key on reload
    assert not TOTPDevice.objects.filter(user=user).exists()

    wrong = f"{(int(code(key)) + 1) % 10**6:06d}"
    refused = client.post(ENROL, {"token": wrong})
    assert refused.status_code == 200
    assert "验证码不正确" in refused.content.decode()
    assert refused.context["form"]["token"].value()  # keeps what was typed
    assert not TOTPDevice.objects.filter(user=user).exists()

    response = client.post(ENROL, {"token": code(key), "next": "/applications/"})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    assert StaticToken.objects.filter(device__user=user).count() == 10
    event = AuditEvent.objects.get(action="two_factor.enrol")
    assert event.actor == user and event.target_id == str(user.pk)
    shown = client.get(response["Location"])
    assert len(shown.context["new_codes"]) == 10
    assert shown.context["next"] == "/applications/"
    assert client.get(reverse("two_factor_settings")).context["new_codes"] is None  # once
    assert client.get("/").status_code == 200  # verified in this session

    # pressing the form again (same key, next code) makes no second device
    again = client.post(ENROL, {"token": code(key, 1)})
    assert again.status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_sign_in_with_the_code_and_with_a_backup_code_once(required, clock):
    user = officer()
    key, backup = enrol(password_login(user))

    client = password_login(user)
    assert client.get("/applications/")["Location"] == f"{VERIFY}?next=%2Fapplications%2F"
    # enrolment is no way around the code step
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"token": code(key)}).status_code == 200  # used at enrolment
    clock.shift(2)  # django-otp's own back-off after a failure (1 s, doubling)
    response = client.post(VERIFY, {"token": code(key, 1), "next": "/applications/"})
    assert response["Location"] == "/applications/"
    assert client.get("/").status_code == 200

    client = password_login(user)
    response = client.post(VERIFY, {"token": backup[0].upper()})
    assert response.status_code == 302
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert AuditEvent.objects.filter(action="two_factor.backup_code_used").count() == 1

    client = password_login(user)
    assert client.post(VERIFY, {"token": backup[0]}).status_code == 200  # used up
    assert client.get("/").status_code == 302


def test_failed_codes_are_throttled_per_account(required, settings):
    settings.TWO_FACTOR_RATE_PER_USER = (3, 1800)
    user = officer()
    key, backup = enrol(password_login(user))
    client = password_login(user)
    for _ in range(3):
        assert client.post(VERIFY, {"token": "000000"}).status_code == 200
    refused = client.post(VERIFY, {"token": backup[0]})
    assert refused.status_code == 429
    assert "操作过于频繁" in refused.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 10  # not even tried
    # from another client too: the count is the account's
    other = password_login(user)
    assert other.post(VERIFY, {"token": backup[1]}, REMOTE_ADDR="198.51.100.7").status_code == 429


def test_failed_codes_are_throttled_per_client(required, settings):
    settings.TWO_FACTOR_RATE_PER_CLIENT = (2, 1800)
    users = [officer(), officer()]
    for user in users:
        enrol(password_login(user))
    first = password_login(users[0])
    for _ in range(2):
        first.post(VERIFY, {"token": "000000"})
    second = password_login(users[1])
    assert second.post(VERIFY, {"token": "000000"}).status_code == 429


def test_administrator_resets_the_devices(required):
    user = officer()
    enrol(password_login(user))
    admin = UserFactory(is_staff=True, is_superuser=True, roles=["administrator"])
    admin_client = password_login(admin)
    enrol(admin_client)  # the administrator signs in with the second factor too
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    event = AuditEvent.objects.get(action="two_factor.reset")
    assert event.actor == admin
    assert event.target_id == str(user.pk) and event.data["devices"] == 2
    client = password_login(user)
    assert client.get("/")["Location"].startswith(ENROL)  # enrols anew


def test_optional_for_applicants_who_may_enrol_and_turn_it_off(required):
    user = applicant()
    client = password_login(user)
    assert client.get("/").status_code == 200  # not required
    page = client.get(reverse("two_factor_settings"))
    assert page.context["enrolled"] is False
    key, _ = enrol(client)
    client = password_login(user)
    assert client.get("/")["Location"].startswith(VERIFY)  # enrolled: always asked
    client.post(VERIFY, {"token": code(key, 1)})
    response = client.post(reverse("two_factor_settings"), {"action": "disable"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="two_factor.disable", actor=user).exists()
    assert password_login(user).get("/").status_code == 200


def test_a_required_role_cannot_turn_it_off_but_gets_new_backup_codes(required):
    user = officer()
    client = password_login(user)
    _, old = enrol(client)
    client.post(reverse("two_factor_settings"), {"action": "disable"})
    assert TOTPDevice.objects.filter(user=user).exists()
    client.post(reverse("two_factor_settings"), {"action": "backup_codes"})
    new = client.get(reverse("two_factor_settings")).context["new_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert set(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    ) == set(new)
    assert AuditEvent.objects.filter(action="two_factor.backup_codes").count() == 1


def test_next_is_kept_only_for_this_site(required):
    user = officer()
    key, _ = enrol(password_login(user))
    client = password_login(user)
    response = client.post(VERIFY, {"token": code(key, 1), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_the_gate_asks_the_database_nothing_for_users_without_devices(required):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(applicant())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("two_factor_settings")).status_code == 200
        assert client.get("/").status_code == 200
    # the settings page itself looks once; the gate never does
    otp_queries = [q["sql"] for q in queries.captured_queries if "otp_" in q["sql"]]
    assert len(otp_queries) == 2, otp_queries  # is_enrolled + remaining codes on the page
