"""Accessibility of the main forms' error states and of the public pages on a phone (issue 16).

The crawler (test_crawler.py) runs axe-core over the first page of every view it reaches; this
test adds what a crawl does not see: each main form refused (a plan section with row tables,
the expert's score form, the public objection form, the registration), at desktop width and
at 375 px for a selection (the public pages, the objection form, a plan section). Everywhere:
zero WCAG 2.1 A/AA violations; a refused form puts the focus on its error summary and the
page title starts with 「错误：」. Last, the objection form is filled in by keyboard only at
375 px. English mode is checked by tests/ui/test_languages.py (hook: ``LANGUAGES`` below).
"""

import pytest
from django.core.management import call_command
from django.utils import translation

from accounts.models import User
from applications.models import Application
from centers.models import PublicityNotice
from reviews.models import PanelMember, ScoreSheet

from . import axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
LANGUAGES = ["zh-hans"]  # English mode: the i18n checks add "en" here


def title_prefix() -> str:
    with translation.override("zh-hans"):
        return translation.gettext("Error: ")


def refused(page, label, problems):
    """After a refused submit: focus on the summary, title prefixed, no axe violation."""
    state = page.evaluate(
        "() => ({focus: document.activeElement.className, title: document.title,"
        " links: [...document.querySelectorAll('.error-summary a')].map(a => a.hash)})"
    )
    if "error-summary" not in state["focus"]:
        problems.append(f"[{label}] focus is on {state['focus']!r}, not the error summary")
    if not state["title"].startswith(title_prefix()):
        problems.append(f"[{label}] title {state['title']!r} lacks the error prefix")
    if not state["links"]:
        problems.append(f"[{label}] the error summary links to no field")
    for target in state["links"]:
        if not page.locator(target).count():
            problems.append(f"[{label}] the summary links to missing {target}")
    problems += axe.violations(page, label=label)


def no_page_scroll(page, label, problems):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"[{label}] the page is {width} px wide at 375 px")


def test_forms_refused_and_public_pages_on_a_phone_have_no_violations_and_work_by_keyboard(
    browser, live_server, login, settings
):
    settings.DEBUG = True  # seed_demo refuses otherwise
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False
    base = live_server.url
    problems: list[str] = []
    notice = PublicityNotice.objects.order_by("-pk").first()
    objection_url = f"{base}/centers/public/notices/{notice.pk}/object/"
    organization = User.objects.get(username="applicant").organization
    draft = Application.objects.filter(status="draft", organization=organization).first()
    member = (
        PanelMember.objects.filter(status="accepted", no_conflict_declared_at__isnull=False)
        .select_related("expert__user")
        .first()
    )
    if member is not None:  # the demo's scores are all submitted: reopen one sheet
        ScoreSheet.objects.filter(member=member).update(submitted_at=None)

    for size in (DESKTOP, PHONE):
        context = browser.new_context(locale="zh-CN", viewport=size, timezone_id="Asia/Shanghai")
        context.set_default_timeout(15_000)
        page = context.new_page()
        at = f"{size['width']}px"
        # the public pages (axe at 375 px; the crawler covers the desktop)
        if size is PHONE:
            for path in ("/", "/centers/public/", f"/centers/public/notices/{notice.pk}/",
                         "/centers/registry/"):  # fmt: skip
                page.goto(base + path)
                problems += axe.violations(page, label=f"{at} {path}")
                no_page_scroll(page, f"{at} {path}", problems)
        # the objection form, refused: nothing filled in
        page.goto(objection_url)
        if size is PHONE:
            problems += axe.violations(page, label=f"{at} objection form")
        with page.expect_navigation():
            page.click("form[enctype] button[type=submit]")
        refused(page, f"{at} objection refused", problems)
        # registration (desktop only), refused
        if size is DESKTOP:
            page.goto(f"{base}/accounts/register/")
            with page.expect_navigation():
                page.click("main form button[type=submit]")
            refused(page, f"{at} registration refused", problems)
        # a plan section with row tables, refused (a number column gets text)
        login(page, live_server, "applicant")
        page.goto(f"{base}/applications/{draft.pk}/edit/targets/")
        page.locator("table.formset-table input[type=number]").first.evaluate(
            "el => { el.type = 'text'; el.value = 'abc'; }"
        )
        with page.expect_navigation():
            page.click("button[name=save]")
        refused(page, f"{at} plan section targets refused", problems)
        if size is PHONE:
            no_page_scroll(page, f"{at} plan section targets", problems)
        # the score form (desktop only), refused
        if size is DESKTOP:
            assert member is not None, "the demo has no expert who may score"
            context.clear_cookies()
            login(page, live_server, member.expert.user.username)
            page.goto(f"{base}/reviews/my/{member.pk}/score/")
            number = page.locator("main form input[type=number]").first
            if number.count():
                number.evaluate("el => { el.removeAttribute('max'); el.value = '9999'; }")
                with page.expect_navigation():
                    page.locator("main form button[type=submit]").first.click()
                refused(page, f"{at} score form refused", problems)
            else:
                problems.append(f"[{at}] no score form to check")
        context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    objection_by_keyboard_on_a_phone(browser, live_server, notice)


def objection_by_keyboard_on_a_phone(browser, live_server, notice):
    """The objection form filled in by keyboard only at 375 px; the refused submit takes the
    focus to the summary, whose link takes it to the field."""
    context = browser.new_context(locale="zh-CN", viewport=PHONE, timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{live_server.url}/centers/public/notices/{notice.pk}/object/")
    focused = "() => document.activeElement.name || document.activeElement.className"
    # Tab from the top of the page to the objector kind group, choose with the arrow keys
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(focused) == "objector_kind":
            break
    else:
        raise AssertionError("Tab never reached the objector kind")
    page.keyboard.press("ArrowDown")  # the second kind: an organization
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == "name"
    page.keyboard.type("太原某某研究所")
    # leave the rest empty; Tab on to the submit button and press Enter
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") == "submit":
            break
    else:
        raise AssertionError("Tab never reached the submit button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "error-summary" in page.evaluate("() => document.activeElement.className")
    assert page.title().startswith(title_prefix())
    assert page.input_value("input[name=name]") == "太原某某研究所"  # kept as typed
    # from the summary, Tab reaches its first link; Enter puts the focus on that field
    page.keyboard.press("Tab")
    link = page.evaluate("() => document.activeElement.hash")
    assert link.startswith("#id_")
    page.keyboard.press("Enter")
    assert page.evaluate("() => '#' + document.activeElement.id") == link
    assert axe.violations(page, label="375px objection keyboard") == []
    context.close()
