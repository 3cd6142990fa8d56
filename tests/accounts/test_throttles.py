"""Throttles behind the proxy: the real client address, the login lockout per address and per
username, the password reset and registration throttles (issue 15, item 3)."""

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import Organization
from audit.client_ip import client_ip
from tests.accounts.test_registration import form_data
from tests.factories import applicant

pytestmark = pytest.mark.django_db

PASSWORD = "Demo-pass-2026"
LOGIN = "/accounts/login/"


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


# --- the one function --------------------------------------------------------------------


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("127.0.0.1", "203.0.113.5")) == "127.0.0.1"


def test_the_right_most_untrusted_hop_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # the client forged a first hop; nginx (127.0.0.1) and a balancer (10.1.1.1) appended theirs
    forwarded = "6.6.6.6, 203.0.113.5, 10.1.1.1"
    assert client_ip(request_from("127.0.0.1", forwarded)) == "203.0.113.5"
    assert client_ip(request_from("127.0.0.1")) == "127.0.0.1"


def test_spoofed_header_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request_from("198.51.100.9", "203.0.113.5")) == "198.51.100.9"


def test_a_forged_hop_that_is_no_address_falls_back_to_remote_addr(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_ip(request_from("127.0.0.1", "<script>")) == "127.0.0.1"


def test_proxy_count(settings):
    settings.TRUSTED_PROXIES = []
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("127.0.0.1", "6.6.6.6, 203.0.113.5")) == "203.0.113.5"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.1")) == "203.0.113.5"


# --- login lockout behind nginx ------------------------------------------------------------


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    return Client(REMOTE_ADDR="127.0.0.1")


def login(client, address, username, password):
    return client.post(
        LOGIN, {"username": username, "password": password}, HTTP_X_FORWARDED_FOR=address
    )


def test_five_bad_passwords_from_one_client_do_not_lock_another_client_out(behind_nginx):
    applicant(username="alice")
    applicant(username="bob")
    for _ in range(5):
        login(behind_nginx, "203.0.113.5", "alice", "wrong")
    # the abuser's address is locked, for every username
    locked = login(behind_nginx, "203.0.113.5", "bob", PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # alice herself, from her own address, still logs in
    ok = login(Client(REMOTE_ADDR="127.0.0.1"), "198.51.100.7", "alice", PASSWORD)
    assert ok.status_code == 302


def test_twenty_bad_passwords_for_one_username_from_twenty_addresses_lock_it(behind_nginx):
    applicant(username="alice")
    applicant(username="bob")
    for n in range(20):
        login(behind_nginx, f"203.0.113.{n + 1}", "alice", "wrong")
    owner = Client(REMOTE_ADDR="127.0.0.1")
    refused = login(owner, "198.51.100.7", "alice", PASSWORD)
    assert refused.status_code == 429
    assert "_auth_user_id" not in owner.session
    # the username is locked, not the addresses: bob logs in from one of them
    assert login(Client(REMOTE_ADDR="127.0.0.1"), "203.0.113.1", "bob", PASSWORD).status_code == 302


def test_nineteen_addresses_are_not_enough_and_case_does_not_split_the_count(behind_nginx):
    applicant(username="alice")
    for n in range(19):
        username = "ALICE" if n % 2 else "alice"
        login(behind_nginx, f"203.0.113.{n + 1}", username, "wrong")
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"alice"}
    assert (
        login(Client(REMOTE_ADDR="127.0.0.1"), "198.51.100.7", "alice", PASSWORD).status_code == 302
    )


def test_spoofed_x_forwarded_for_does_not_escape_the_address_lock(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    applicant(username="alice")
    attacker = Client(REMOTE_ADDR="198.51.100.9")  # talks to the app directly, not via nginx
    for n in range(5):
        login(attacker, f"203.0.113.{n + 1}", "alice", "wrong")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.9"}
    assert login(attacker, "192.0.2.1", "alice", PASSWORD).status_code == 429


# --- password reset and registration -------------------------------------------------------


def test_password_reset_is_throttled_per_email(behind_nginx):
    applicant(username="alice", email="alice@example.com")
    for n in range(3):
        response = behind_nginx.post(
            reverse("password_reset"),
            {"email": "alice@example.com"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}",
        )
        assert response.status_code == 302
    fourth = behind_nginx.post(
        reverse("password_reset"), {"email": "ALICE@example.com"}, HTTP_X_FORWARDED_FOR="192.0.2.8"
    )
    text = fourth.content.decode()
    assert fourth.status_code == 429
    assert "操作过于频繁" in text and "ALICE@example.com" in text
    assert len(mail.outbox) == 3


def test_password_reset_is_throttled_per_client(behind_nginx):
    for n in range(5):
        behind_nginx.post(
            reverse("password_reset"),
            {"email": f"probe{n}@example.com"},
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    sixth = behind_nginx.post(
        reverse("password_reset"), {"email": "x@example.com"}, HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    assert sixth.status_code == 429
    other = behind_nginx.post(
        reverse("password_reset"), {"email": "x@example.com"}, HTTP_X_FORWARDED_FOR="203.0.113.6"
    )
    assert other.status_code == 302


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_registration_is_throttled_per_client(behind_nginx, settings, private_media):
    settings.REGISTRATION_RATE_PER_CLIENT = (2, 3600)
    for _ in range(2):
        behind_nginx.post(
            reverse("register"), form_data(password2="mismatch"), HTTP_X_FORWARDED_FOR="203.0.113.5"
        )
    third = behind_nginx.post(
        reverse("register"), form_data(username="typed-kept"), HTTP_X_FORWARDED_FOR="203.0.113.5"
    )
    text = third.content.decode()
    assert third.status_code == 429
    assert "操作过于频繁" in text and "typed-kept" in text
    assert not Organization.objects.filter(name="太原新材料研究院有限公司").exists()
    other = behind_nginx.post(reverse("register"), form_data(), HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302


def test_registration_is_throttled_per_credit_code(behind_nginx, settings, private_media):
    settings.REGISTRATION_RATE_PER_TARGET = (2, 3600)
    data = form_data(password2="mismatch")
    for n in range(2):
        behind_nginx.post(reverse("register"), data, HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}")
    data = form_data(credit_code=data["credit_code"])
    third = behind_nginx.post(reverse("register"), data, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert third.status_code == 429
    assert "操作过于频繁" in third.content.decode()
    assert (
        not Organization.objects.exists()
        or not Organization.objects.filter(credit_code=data["credit_code"]).exists()
    )


# --- the shared cache ----------------------------------------------------------------------

PROBE = (
    "from django.conf import settings; from accounts.throttle import hit; "
    "print(settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], hit('probe', 'k', (2, 60)))"
)


def _process(tmp_path, **env):
    import os
    import subprocess
    import sys
    from pathlib import Path

    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL")}
    clean.update(VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PROBE],
        cwd=Path(__file__).resolve().parents[2],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.strip()


def test_without_redis_separate_processes_share_the_counters(tmp_path):
    """`make run` runs several processes: a limit of 2 is reached across them."""
    assert [_process(tmp_path) for _ in range(3)] == [
        "FileBasedCache False",
        "FileBasedCache False",
        "FileBasedCache True",
    ]
