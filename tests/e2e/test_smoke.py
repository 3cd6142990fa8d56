import json
import urllib.request

import pytest

from accounts.demo import DEMO_PASSWORD
from accounts.models import City, Department
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_live_server_answers_before_the_browser_starts(live_server):
    with urllib.request.urlopen(f"{live_server.url}/healthz", timeout=10) as response:
        assert json.load(response)["database"] == "ok"
    assert City.objects.count() == 11


def test_login_page_is_chinese_and_demo_user_logs_in(page, live_server, login):
    # Reference data from the data migrations is there, also when this test is the one
    # that starts the browser right after another transactional test flushed the database.
    assert City.objects.count() == 11
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


def test_reference_data_is_restored_for_browser_tests_after_the_first(page, live_server):
    """Runs after the test above (same file): the browser is up, the database was flushed,
    and the serialized reference data must be back (see tests/conftest.py)."""
    assert City.objects.count() == 11
    assert Department.province().name == "山西省科学技术厅"
    page.goto(f"{live_server.url}/accounts/login/")
    assert "登录" in page.locator("body").inner_text()
