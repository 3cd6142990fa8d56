"""The layout: vendored assets (no CDN), no inline JavaScript, navigation by role, home page."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from accounts.roles import ADMINISTRATOR, EXPERT
from tests.factories import UserFactory, applicant, officer, reviewer

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [
    Path(settings.BASE_DIR) / "templates",
    *Path(settings.BASE_DIR).glob("*/templates"),
]


@pytest.mark.parametrize(
    "asset",
    [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "vendor/bootstrap/LICENSE",
        "vendor/htmx/LICENSE",
        "css/site.css",
        "js/site.js",
    ],
)
def test_vendored_assets_exist(asset):
    path = finders.find(asset)
    assert path, asset
    assert Path(path).stat().st_size > 0


def test_vendored_versions():
    css = Path(finders.find("vendor/bootstrap/bootstrap.min.css")).read_text()[:200]
    assert "Bootstrap  v5.3" in css
    htmx = Path(finders.find("vendor/htmx/htmx.min.js")).read_text()
    assert re.search(r'version:"2\.\d+\.\d+"', htmx)


def test_no_cdn_and_no_inline_script_in_any_template():
    offenders = []
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            text = path.read_text()
            for match in re.finditer(r"<script\b[^>]*>", text):
                if "src=" not in match.group(0):
                    offenders.append(f"{path}: inline <script>")
            if re.search(r"""(src|href)=["']https?://""", text):
                offenders.append(f"{path}: external asset")
            if re.search(r"\son(click|submit|change|load|input)=", text):
                offenders.append(f"{path}: inline event handler")
    assert offenders == []


def test_base_page_loads_the_vendored_files(client):
    text = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in text
    assert "/static/vendor/bootstrap/bootstrap.bundle.min.js" in text
    assert "/static/vendor/htmx/htmx.min.js" in text
    assert "http://" not in text.split("<body")[0]  # nothing from elsewhere in <head>


def test_anonymous_home_is_a_public_landing_page(client):
    text = client.get("/").content.decode()
    assert "山西省技术创新中心管理平台" in text
    assert "常年受理申报" in text
    assert "公示公告" in text and "技术创新中心名录" in text
    assert "认定流程" in text
    assert 'href="/accounts/login/"' in text
    assert "退出登录" not in text
    assert "待办事项" not in text


def test_logged_in_home_shows_roles_unit_and_the_app_cards(client):
    user = applicant(username="alice", last_name="王", first_name="申报")
    client.force_login(user)
    text = client.get("/").content.decode()
    assert "您好，王申报" in text
    assert user.organization.name in text
    assert "申报单位" in text  # the role label
    assert "待办事项" in text
    assert "查看消息" in text
    assert "常年受理申报" not in text


def test_home_lists_every_role_of_a_user(client):
    user = UserFactory(department=officer().department, roles=["provincial_officer", EXPERT])
    client.force_login(user)
    text = client.get("/").content.decode()
    assert "省科技厅" in text and "专家" in text
    assert "山西省科学技术厅" in text  # the unit


def test_user_without_roles_is_told_so(client):
    client.force_login(UserFactory())
    text = client.get("/").content.decode()
    assert "尚未分配角色" in text


def test_navigation_shows_the_admin_link_only_to_staff(client):
    client.force_login(reviewer())
    assert "系统管理" not in client.get("/").content.decode()
    admin_user = UserFactory(is_staff=True, is_superuser=True, roles=[ADMINISTRATOR])
    client.force_login(admin_user)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_navigation_shows_my_organization_for_organization_users(client):
    user = applicant()
    client.force_login(user)
    text = client.get("/").content.decode()
    assert f'href="/accounts/organizations/{user.organization_id}/"' in text
    assert "我的单位" in text


def test_page_is_readable_on_a_phone(client):
    text = client.get("/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in text
    assert "navbar-toggler" in text


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_no_inline_style_attribute_in_web_templates():
    """style-src 'self' refuses style attributes; PDF templates (rendered by WeasyPrint,
    never served as pages) may use them."""
    offenders = [
        str(path)
        for directory in TEMPLATE_DIRS
        for path in directory.rglob("*.html")
        if "/pdf/" not in str(path)
        and "documents/templates" not in str(path)
        and "reviews/templates/reviews/opinion_pdf" not in str(path)
        and re.search(r"""\sstyle=["']""", path.read_text())
    ]
    assert offenders == []
