"""With DEBUG on (the `make run` demo) the site still shows its Chinese error pages; Django's
technical pages appear only when a developer sets DEBUG_TECHNICAL_ERRORS."""

import pytest
from django.test import Client, override_settings

from tests.factories import applicant

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ui.urls")]


@override_settings(DEBUG=True, DEBUG_TECHNICAL_ERRORS=False)
@pytest.mark.parametrize("url", ["/no-such-page/", "/test-missing/"])
def test_404_with_debug_on_is_the_chinese_page(client, url):
    client.force_login(applicant(username="alice"))
    response = client.get(url)
    text = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in text and "返回首页" in text
    assert "退出登录" in text  # the page knows the user: navigation kept
    assert "Page not found" not in text and "URLconf" not in text
    assert "deliberate" not in text


@override_settings(DEBUG=True, DEBUG_TECHNICAL_ERRORS=False)
def test_500_with_debug_on_is_the_chinese_page_and_is_logged(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level("ERROR", logger="django.request"):
        response = client.get("/test-boom/")
    text = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in text and "请稍后再试" in text
    assert "deliberate failure" not in text and "Traceback" not in text
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info and "deliberate failure" in str(record.exc_info[1])


@override_settings(DEBUG=True, DEBUG_TECHNICAL_ERRORS=False)
def test_500_with_debug_on_still_reaches_the_test_client():
    with pytest.raises(RuntimeError, match="deliberate failure"):
        Client().get("/test-boom/")


@override_settings(DEBUG=True, DEBUG_TECHNICAL_ERRORS=True)
def test_technical_pages_when_a_developer_asks_for_them():
    client = Client(raise_request_exception=False)
    not_found = client.get("/no-such-page/").content.decode()
    assert "Page not found" in not_found and "页面不存在" not in not_found
    boom = client.get("/test-boom/").content.decode()
    assert "deliberate failure" in boom and "服务器错误" not in boom


@override_settings(DEBUG=True, DEBUG_TECHNICAL_ERRORS=False, APPEND_SLASH=True)
def test_debug_404_check_does_not_break_the_slash_redirect(client):
    response = client.get("/accounts/login")
    assert response.status_code == 301 and response["Location"] == "/accounts/login/"
