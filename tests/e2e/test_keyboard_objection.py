"""The public objection form by keyboard only, on a phone-sized screen (issue 16).

A member of the public at 375 × 812 reaches and fills the form with Tab, typing, Space and
Enter only (the file chooser opens from the keyboard; Playwright answers it with a file, as
the system dialog would). The first submit leaves fields out and is refused: the focus lands
on the error summary, the title says 「错误：」, what was typed stays. From the summary the
person Tabs on through the form, completes it and submits again with Enter: the objection is
stored (the row is checked) and the receipt shown.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from centers import rules
from centers.models import Objection
from tests.centers.factories import PDF, png_bytes, publicized_plan
from tests.factories import officer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("calendar_known_ahead"),
]

PHONE = {"width": 375, "height": 812}
FOCUSED = (
    "() => { const e = document.activeElement; return [e.name || '', e.type || '', e.value || ''] }"
)
REASONS = "申报材料所列三项发明专利的权利人并非牵头单位，相关证明材料见附件。"


def tab_to(page, wanted, limit=80):
    """Press Tab until the focused element matches ``wanted(name, type, value)``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted(*page.evaluate(FOCUSED)):
            return page.evaluate(FOCUSED)
    raise AssertionError(f"Tab never reached the element wanted; last {page.evaluate(FOCUSED)}")


def named(field):
    return lambda name, _type, _value: name == field


def choose_file(page, path, tries=3):
    """Space on the focused file input opens the chooser; answer it with ``path``.

    Chromium drops a chooser asked for while the previous one is still closing (seen once in
    CI right after the first file was chosen), so a Space that opened nothing is pressed again
    after a short wait, as a person would; the file must then be on the input.
    """
    name = page.evaluate("() => document.activeElement.name")
    for attempt in range(tries):
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeoutError:
            if attempt == tries - 1:
                raise
            continue
        chooser.value.set_files(path)
        break
    chosen = f"() => Array.from(document.querySelector('input[name={name}]').files, f => f.name)"
    assert page.evaluate(chosen) == [path.name]


def test_objection_by_keyboard_on_a_phone_refused_then_stored(
    browser, live_server, settings, tmp_path
):
    settings.CENTERS_OBJECTION_RATE = (100, 3600)
    _app, notice = publicized_plan(actor=officer(), start=rules.local_now().date())
    statement = tmp_path / "声明.pdf"
    statement.write_bytes(PDF)
    evidence = tmp_path / "证据.png"
    evidence.write_bytes(png_bytes())
    context = browser.new_context(locale="zh-CN", viewport=PHONE, timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/centers/public/notices/{notice.pk}/object/")

    # From the top of the page: the plan (one choice, already selected), then the objector
    # kind: Space chooses the first kind (a person); then the name.
    tab_to(page, named("objector_kind"))
    page.keyboard.press("Space")
    tab_to(page, named("name"))
    page.keyboard.type("刘实名")
    # leave the rest empty; Tab on to the submit button and press Enter
    tab_to(page, lambda name, type_, value: type_ == "submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "error-summary" in page.evaluate("() => document.activeElement.className")
    with translation.override("zh-hans"):
        assert page.title().startswith(translation.gettext("Error: "))
    assert page.input_value("input[name=name]") == "刘实名"  # kept as typed
    assert page.is_checked("input[name=objector_kind][value=person]")
    assert not Objection.objects.exists()
    # the summary's first link takes the focus to its field (Tab, then Enter)
    page.keyboard.press("Tab")
    link = page.evaluate("() => document.activeElement.hash")
    assert link.startswith("#id_")
    page.keyboard.press("Enter")
    assert page.evaluate("() => '#' + document.activeElement.id") == link

    # Complete the form from there on, by keyboard: Tab from field to field.
    page.keyboard.press("Shift+Tab")  # back before the field, so tab_to lands on it again
    answers = {
        "organization": "太原某大学",
        "phone": "13800001234",
        "address": "山西省太原市迎泽区某路1号",
        "reasons": REASONS,
    }
    files = {"statement": statement, "evidence": evidence}
    pending = {"organization", "phone", "address", "reasons", "statement", "evidence", "confirm"}
    while pending:
        name, _type, _value = tab_to(page, lambda name, *_: name in pending)
        pending.discard(name)
        if name in files:
            choose_file(page, files[name])
        elif name == "confirm":
            page.keyboard.press("Space")
        else:
            page.keyboard.press("Control+A")
            page.keyboard.type(answers[name])
    tab_to(page, lambda name, type_, value: type_ == "submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    objection = Objection.objects.get()
    assert (objection.item.notice_id, objection.objector_kind, objection.name) == (
        notice.pk,
        "person",
        "刘实名",
    )
    assert (objection.phone, objection.address, objection.reasons) == (
        "13800001234",
        "山西省太原市迎泽区某路1号",
        REASONS,
    )
    assert objection.statement_name == "声明.pdf"
    assert [e.name for e in objection.evidence.all()] == ["证据.png"]
    assert objection.receipt_number in page.locator("main").inner_text()
    context.close()
