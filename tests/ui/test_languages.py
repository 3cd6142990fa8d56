"""Every page of the demo in both languages (issue 16, item 4).

Each demo user (and the anonymous visitor) walks the pages the crawler reaches, with the
Django test client: in English no visible interface text is Chinese, in Chinese no interface
text is English. User data (strings stored in the database) and elements marked with the
other language's ``lang`` are not interface text; see ``tests/ui/language_walk.py``.
"""

import datetime as dt
import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from accounts.demo import DEMO_USERS
from accounts.models import City
from centers.models import IndustryField, StrategicArea
from documents.languages import local_date, paren, punct
from documents.templatetags.languages import localized
from reviews.models import Criterion
from tests.ui.language_walk import foreign_text, stored_strings, view_key, walk

pytestmark = pytest.mark.django_db

ROLES = [None] + [username for username, *_ in DEMO_USERS if username != "admin"]
# The evaluation pages every walk must reach (written in Chinese with lang="zh-Hans" until
# they went through the catalog): each role's own, and the public results.
EVALUATION_VIEWS = {
    "evaluations:list", "evaluations:detail", "evaluations:self_report", "evaluations:commission",
    "evaluations:overdue", "evaluations:priority", "evaluations:decide", "evaluations:follow_up",
    "evaluations:assigned", "evaluations:score", "evaluations:hearing", "evaluations:results",
    "evaluations:results_round",
}  # fmt: skip


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo refuses otherwise
    with open(os.devnull, "w") as out:
        call_command("seed_demo", stdout=out)
    settings.DEBUG = False
    from django.contrib.auth import get_user_model

    return get_user_model().objects.in_bulk(field_name="username")


def _walk_in(client, language, users, username):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if username:
        client.force_login(users[username])
    stored = stored_strings()
    names = {u for u, *_ in DEMO_USERS}
    problems, pages, views = {}, 0, set()
    for path, html in walk(client):
        pages += 1
        views.add(view_key(path.split("?")[0]))
        for node in foreign_text(html, language, stored, names):
            problems.setdefault(node, path)
    return problems, pages, views


def _report(problems):
    return "\n".join(f"{path}: {text[:120]!r}" for text, path in sorted(problems.items()))


def _walk_every_role(client, demo, language):
    problems, pages, views = {}, {}, set()
    for username in ROLES:
        client.logout()
        found, pages[username], seen = _walk_in(client, language, demo, username)
        views |= seen
        for text, path in found.items():
            problems.setdefault(text, f"[{username or 'anonymous'}] {path}")
    # The walk really went somewhere: every role saw more than its home page.
    assert all(count > 3 for count in pages.values()), pages
    assert EVALUATION_VIEWS <= views, sorted(EVALUATION_VIEWS - views)
    dump = os.environ.get("LANGUAGE_WALK_DUMP")
    if dump:
        with open(f"{dump}.{language}", "w") as out:
            out.write(_report(problems))
    return problems


def test_english_pages_show_no_chinese_interface_text(client, demo):
    problems = _walk_every_role(client, demo, "en")
    assert not problems, f"{len(problems)} Chinese strings in English mode:\n" + _report(problems)


def test_chinese_pages_show_no_english_interface_text(client, demo):
    problems = _walk_every_role(client, demo, "zh-hans")
    assert not problems, f"{len(problems)} English strings in Chinese mode:\n" + _report(problems)


def test_dates_and_punctuation_follow_the_language():
    day = dt.date(2026, 3, 5)
    with translation.override("zh-hans"):
        assert (local_date(day), paren("x"), punct("、")) == ("2026年3月5日", "（x）", "、")
    with translation.override("en"):
        assert (local_date(day), paren("x"), punct("、")) == ("5 March 2026", " (x)", ", ")


def test_reference_data_has_english_names_from_the_migrations():
    for model in (City, IndustryField, StrategicArea, Criterion):
        assert model.objects.exists()
        assert not model.objects.filter(name_en="").exists(), model
    field = IndustryField.objects.get(code="F01")
    with translation.override("en"):
        assert str(field) == "Semiconductors"
        assert str(City.objects.get(name="太原市")) == "Taiyuan"
    with translation.override("zh-hans"):
        assert str(field) == "半导体"


def test_a_row_without_english_is_marked_chinese_on_english_pages(client):
    IndustryField.objects.create(code="F99", name="新型储能装备", order=99)
    row = IndustryField.objects.get(code="F99")
    with translation.override("en"):
        assert localized(row) == '<span lang="zh-Hans">新型储能装备</span>'
    with translation.override("zh-hans"):
        assert localized(row) == "新型储能装备"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/centers/registry/").content.decode()
    assert '<option value="F99">新型储能装备</option>' in page  # a choice cannot hold markup


def test_site_strings_shared_with_the_admin_catalog_read_as_ours(client):
    """The registry's filter button and the breadcrumb label are ours, not the admin's 过滤器."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get("/centers/registry/").content.decode()
    assert "过滤器" not in page and ">筛选</button>" in page
    notices = client.get("/centers/public/archive/").content.decode()
    assert 'aria-label="breadcrumb"' not in notices and 'aria-label="当前位置"' in notices
