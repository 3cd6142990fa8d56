import pytest
from django.test import Client, override_settings

from tests.factories import UserFactory, applicant

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.ui.urls")]


@override_settings(DEBUG=False)
def test_404_page_is_chinese(client):
    response = client.get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in text
    assert "返回首页" in text
    assert "山西省科学技术厅" in text


@override_settings(DEBUG=False)
def test_403_page_is_chinese_and_names_the_roles(client):
    client.force_login(UserFactory())  # no role at all
    response = client.get("/test-only-applicants/")
    text = response.content.decode()
    assert response.status_code == 403
    assert "没有权限" in text
    assert "此页面仅供以下角色使用" in text and "申报单位" in text


@override_settings(DEBUG=False)
def test_500_page_is_chinese_and_stands_alone():
    client = Client(raise_request_exception=False)
    response = client.get("/test-boom/")
    text = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in text
    assert "请稍后再试" in text
    assert "山西省技术创新中心管理平台" in text
    assert "deliberate failure" not in text  # no internals leak


@override_settings(DEBUG=False)
def test_404_for_a_logged_in_user_keeps_the_navigation(client):
    client.force_login(applicant(username="alice"))
    text = client.get("/no-such-page/").content.decode()
    assert "页面不存在" in text
    assert "退出登录" in text
