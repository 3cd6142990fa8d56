import re

import pytest
from django.contrib.auth import get_user_model

from tests.factories import applicant

pytestmark = pytest.mark.django_db

PASSWORD = "Demo-pass-2026"


def logged_in(client):
    return "_auth_user_id" in client.session


def test_login_page_is_chinese(client):
    response = client.get("/accounts/login/")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in text
    assert "登录" in text
    assert "用户名" in text and "密码" in text
    assert "忘记密码" in text
    assert "山西省科学技术厅" in text


def test_wrong_password_is_refused_in_chinese_and_keeps_the_username(client):
    applicant(username="alice")
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个正确的" in text
    assert 'value="alice"' in text
    assert not logged_in(client)


def test_empty_fields_are_flagged_per_field(client):
    response = client.post("/accounts/login/", {"username": "", "password": ""})
    text = response.content.decode()
    # once in the error summary (a link to the field), once under the field
    assert text.count("这个字段是必填项") == 4
    assert 'href="#id_username"' in text and 'href="#id_password"' in text
    assert 'id="id_username_error"' in text and 'id="id_password_error"' in text
    assert "is-invalid" in text


def test_login_then_logout(client):
    applicant(username="alice")
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD, "next": "/notifications/"}
    )
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert logged_in(client)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert not logged_in(client)


def test_sixth_wrong_attempt_shows_the_lockout_page_and_the_right_password_is_refused(client):
    applicant(username="alice")
    for _attempt in range(5):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})

    sixth = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    text = sixth.content.decode()
    assert sixth.status_code == 429
    assert "账户已被暂时锁定" in text
    assert "30 分钟" in text

    correct = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert correct.status_code == 429
    assert "账户已被暂时锁定" in correct.content.decode()
    assert not logged_in(client)


def test_a_locked_address_does_not_lock_another_client(client):
    """Failures lock the address (for every username, accounts/lockout.py); a client at
    another address, even for the same username, still logs in."""
    applicant(username="alice")
    applicant(username="bob")
    for _attempt in range(6):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    same_address = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert same_address.status_code == 429
    other = client.__class__(REMOTE_ADDR="10.9.9.9")
    response = other.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in(other)


def test_password_change_refuses_a_wrong_old_password_then_changes(client):
    user = applicant(username="alice")
    client.force_login(user)
    page = client.get("/accounts/password/change/")
    assert "修改密码" in page.content.decode()

    refused = client.post(
        "/accounts/password/change/",
        {
            "old_password": "not-it",
            "new_password1": "Taiyuan-2026-new",
            "new_password2": "Taiyuan-2026-new",
        },
    )
    text = refused.content.decode()
    assert refused.status_code == 200
    assert "旧密码不正确" in text
    assert 'id="id_old_password_error"' in text

    done = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Taiyuan-2026-new",
            "new_password2": "Taiyuan-2026-new",
        },
        follow=True,
    )
    assert "密码已修改" in done.content.decode()
    assert get_user_model().objects.get(pk=user.pk).check_password("Taiyuan-2026-new")


def test_password_change_needs_login(client):
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_password_reset_by_email_in_chinese(client, mailoutbox):
    user = applicant(username="alice", email="alice@example.com")
    response = client.post("/accounts/password/reset/", {"email": "alice@example.com"}, follow=True)
    assert "请查收邮件" in response.content.decode()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["alice@example.com"]
    assert "重置" in mail.subject and "山西省技术创新中心管理平台" in mail.subject
    assert "alice" in mail.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.body).group(1)

    form = client.get(link, follow=True)
    assert "设置新密码" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    mismatch = client.post(
        set_url, {"new_password1": "Datong-2026-abc", "new_password2": "Datong-2026-xyz"}
    )
    assert "输入的两个密码不一致" in mismatch.content.decode()
    done = client.post(
        set_url,
        {"new_password1": "Datong-2026-abc", "new_password2": "Datong-2026-abc"},
        follow=True,
    )
    assert "新密码已设置" in done.content.decode()
    assert get_user_model().objects.get(pk=user.pk).check_password("Datong-2026-abc")


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, mailoutbox):
    response = client.post(
        "/accounts/password/reset/", {"email": "nobody@example.com"}, follow=True
    )
    assert "请查收邮件" in response.content.decode()
    assert mailoutbox == []


def test_language_switch_to_english_and_back(client):
    assert "登录" in client.get("/").content.decode()

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    english = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in english
    assert "Log in" in english and "Forgot your password?" in english
    assert 'value="zh-hans"' in english  # the switch back is offered

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "忘记密码" in client.get("/accounts/login/").content.decode()


def test_an_english_browser_still_gets_chinese_first(client):
    text = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-Hans">' in text
    assert "忘记密码" in text
