"""Sessions and accounts, from the side of the abuser (issue 15, item 4): idle staff sessions
end, usernames differ not by case, long passwords are refused, broken licence scans too."""

import datetime as dt
import importlib
import io
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organization, User
from accounts.sessions import LAST_ACTIVITY
from applications.testing import MINIMAL_PDF
from tests.accounts.test_registration import form_data
from tests.factories import applicant, officer

pytestmark = pytest.mark.django_db

PASSWORD = "Demo-pass-2026"
LOGIN = "/accounts/login/"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- idle staff sessions -------------------------------------------------------------------


def test_an_idle_officer_is_signed_out_with_a_chinese_message(client):
    officer(username="off")
    with time_machine.travel(START, tick=False) as clock:
        response = client.post(LOGIN, {"username": "off", "password": PASSWORD})
        assert response.status_code == 302
        # a browser-session cookie: no expiry date, gone when the browser closes
        assert response.cookies["sessionid"]["max-age"] == ""
        assert response.cookies["sessionid"]["expires"] == ""
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/notifications/").status_code == 200
        assert logged_in(client)
        clock.shift(dt.timedelta(minutes=29))  # active 29 minutes ago: still signed in
        assert client.get("/notifications/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        idle = client.get("/notifications/")
        assert idle.status_code == 302
        assert idle["Location"].startswith("/accounts/login/?next=/notifications/")
        assert not logged_in(client)
        page = client.get(idle["Location"]).content.decode()
        assert "您已超过30分钟未操作" in page and "自动退出" in page


def test_idle_time_is_a_setting(client, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 5
    officer(username="off")
    with time_machine.travel(START, tick=False) as clock:
        client.post(LOGIN, {"username": "off", "password": PASSWORD})
        clock.shift(dt.timedelta(minutes=6))
        assert client.get("/notifications/").status_code == 302
        assert not logged_in(client)


def session_writes(ctx):
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]


def test_a_staff_session_is_saved_at_most_once_a_minute(client):
    officer(username="off")
    with time_machine.travel(START, tick=False) as clock:
        client.post(LOGIN, {"username": "off", "password": PASSWORD})
        stamped = client.session[LAST_ACTIVITY]
        assert stamped == int(START.timestamp())  # the login stamped it
        for seconds in (0, 30, 59):
            clock.move_to(START + dt.timedelta(seconds=seconds))
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/notifications/").status_code == 200
            assert session_writes(ctx) == []  # nothing new to write: the page writes nothing
        clock.move_to(START + dt.timedelta(seconds=60))
        with CaptureQueriesContext(connection) as ctx:
            client.get("/notifications/")
        assert len(session_writes(ctx)) >= 1
        assert client.session[LAST_ACTIVITY] == stamped + 60


def test_the_idle_limit_holds_to_within_the_minute_of_the_stamp(client):
    officer(username="off")
    with time_machine.travel(START, tick=False) as clock:
        client.post(LOGIN, {"username": "off", "password": PASSWORD})
        clock.shift(dt.timedelta(seconds=50))
        assert client.get("/notifications/").status_code == 200  # not stamped (50 s < 60 s)
        # 30 minutes after the stamp, 29 min 10 s after that last page: signed out, within
        # the minute the stamp may lag
        clock.shift(dt.timedelta(minutes=29, seconds=11))
        assert client.get("/notifications/").status_code == 302
        assert not logged_in(client)


def test_a_stamp_ahead_of_the_clock_is_rewritten(client):
    officer(username="off")
    with time_machine.travel(START, tick=False):
        client.post(LOGIN, {"username": "off", "password": PASSWORD})
        session = client.session
        session[LAST_ACTIVITY] = int(START.timestamp()) + 3600  # a clock set back since
        session.save()
        client.get("/notifications/")
        assert client.session[LAST_ACTIVITY] == int(START.timestamp())


def test_an_applicant_keeps_the_long_session(client):
    applicant(username="alice")
    with time_machine.travel(START, tick=False) as clock:
        response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
        assert int(response.cookies["sessionid"]["max-age"]) > 86400
        clock.shift(dt.timedelta(hours=3))
        assert client.get("/notifications/").status_code == 200
        assert logged_in(client)


# --- usernames without regard to case -------------------------------------------------------


def test_login_ignores_the_case_of_the_username(client):
    applicant(username="alice")
    response = client.post(LOGIN, {"username": "ALICE", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in(client)


def test_a_second_account_differing_only_by_case_cannot_exist():
    applicant(username="alice")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="Alice", password=PASSWORD)
    assert User.objects.filter(username__iexact="alice").count() == 1


def test_registration_refuses_a_username_differing_only_by_case(client, private_media):
    applicant(username="alice")
    html = client.post(reverse("register"), form_data(username="ALICE")).content.decode()
    assert "该用户名已被使用" in html
    assert not Organization.objects.filter(name="太原新材料研究院有限公司").exists()


class _Rows:
    def __init__(self, rows):
        self.rows = rows

    def order_by(self, *_):
        return self

    def values_list(self, *_):
        return self.rows


class _Apps:
    def __init__(self, rows):
        self.model = type("User", (), {"objects": _Rows(rows)})

    def get_model(self, *_):
        return self.model


def test_the_migration_reports_case_conflicts_instead_of_changing_anything():
    migration = importlib.import_module("accounts.migrations.0005_username_unique_ci")
    rows = [(1, "alice"), (2, "Bob"), (3, "ALICE"), (4, "bob"), (5, "carol")]
    with pytest.raises(migration.CaseConflicts) as refused:
        migration.refuse_case_conflicts(_Apps(rows), None)
    text = str(refused.value)
    assert "alice: alice (id 1), ALICE (id 3)" in text
    assert "bob: Bob (id 2), bob (id 4)" in text
    assert "carol" not in text
    migration.refuse_case_conflicts(_Apps([(1, "alice"), (2, "bob")]), None)  # no conflict


# --- password length -------------------------------------------------------------------------


def test_registration_refuses_a_password_over_128_characters(client, private_media):
    long = "Aa1-" * 33  # 132 characters
    html = client.post(
        reverse("register"), form_data(password1=long, password2=long)
    ).content.decode()
    assert "密码过长：最多 128 个字符" in html
    assert not User.objects.filter(username="newlead").exists()


def test_password_change_refuses_a_100000_character_password(client):
    user = applicant(username="alice")
    client.force_login(user)
    huge = "x7-" * 33_334
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": huge, "new_password2": huge},
    )
    assert "密码过长" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_login_refuses_a_huge_password_without_hashing_it(client, monkeypatch):
    applicant(username="alice")

    def no_hashing(*args, **kwargs):
        raise AssertionError("authenticate() must not run for an over-long password")

    monkeypatch.setattr("django.contrib.auth.forms.authenticate", no_hashing)
    response = client.post(LOGIN, {"username": "alice", "password": "p" * 100_000})
    assert response.status_code == 200
    assert "密码过长（最多 4096 个字符）" in response.content.decode()
    assert 'value="alice"' in response.content.decode()


# --- licence scans as strict as objection scans ----------------------------------------------


def png_bytes():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    "name,content",
    [
        ("营业执照.png", png_bytes()[:60]),  # truncated: header and IHDR, no image data
        ("营业执照.png", png_bytes()[:-30] + b"\x00" * 30),  # damaged data and IEND
        ("营业执照.pdf", MINIMAL_PDF.replace(b"%%EOF", b"")),  # no %%EOF
        ("营业执照.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200),  # JPEG magic, nothing else
    ],
)
def test_registration_refuses_a_broken_licence_scan(client, private_media, name, content):
    data = form_data(licence=SimpleUploadedFile(name, content))
    html = client.post(reverse("register"), data).content.decode()
    assert "不完整或已损坏" in html
    assert not User.objects.filter(username="newlead").exists()


def test_registration_accepts_a_whole_png_licence(client, private_media):
    data = form_data(licence=SimpleUploadedFile("营业执照.png", png_bytes()))
    assert client.post(reverse("register"), data).status_code == 302
    assert User.objects.filter(username="newlead").exists()
