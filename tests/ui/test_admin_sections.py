"""The admin index as a newcomer reads it: Chinese section names, models in their own app."""

import re

import pytest
from django.apps import apps

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = [
    "accounts",
    "audit",
    "workdays",
    "notifications",
    "documents",
    "applications",
    "reviews",
    "centers",
    "evaluations",
]


def test_every_project_app_has_a_chinese_verbose_name():
    from django.utils import translation

    with translation.override("zh-hans"):
        for label in PROJECT_APPS:
            name = str(apps.get_app_config(label).verbose_name)
            assert re.search(r"[\u4e00-\u9fff]", name), f"{label}: {name!r}"
            assert not re.search(r"[A-Za-z]", name), f"{label}: {name!r}"


def test_admin_index_shows_chinese_sections_and_registrations_under_accounts(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for section in ("账户与单位", "申报与建设方案", "审计日志", "工作日历", "专家论证"):
        assert section in page, section
    assert "/admin/accounts/organizationregistration/" in page
    assert "/admin/applications/organizationregistration/" not in page
    assert "Applications and plans" not in page and "Audit log" not in page


def test_registration_list_opens_in_the_accounts_section(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get("/admin/accounts/organizationregistration/")
    assert response.status_code == 200
    assert "账户与单位" in response.content.decode()
