import pytest

from accounts.demo import DEMO_PASSWORD
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_is_chinese_and_demo_user_logs_in(page, live_server, login):
    user = UserFactory(username="smoke_user", last_name="王", first_name="测试")
    user.set_password(DEMO_PASSWORD)
    user.save()

    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang").lower() == "zh-hans"
    body = page.locator("body").inner_text()
    assert "登录" in body

    login(page, live_server, "smoke_user")
    assert "王测试" in page.locator("body").inner_text()
    assert "/accounts/login/" not in page.url
