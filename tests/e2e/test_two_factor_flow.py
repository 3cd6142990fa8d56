"""Two-factor sign-in in a real Chromium: a provincial officer enrols on first login by the
key of the QR code page, sees the backup codes once, then signs in again with a code the
test computes from that key (django_otp's TOTP)."""

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from tests.factories import officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(secret_text: str, steps_ahead: int = 0) -> str:
    secret = secret_text.replace(" ", "").upper()
    key = b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_officer_enrols_on_first_login_then_signs_in_with_a_code(page, live_server, settings):
    settings.TWO_FACTOR_REQUIRED = True
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    user = officer(username="otp_officer", last_name="李", first_name="处长")

    page.goto(f"{live_server.url}/accounts/login/?next=/applications/")
    page.fill("input[name=username]", "otp_officer")
    page.fill("input[name=password]", "Demo-pass-2026")
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert "/accounts/two-factor/enrol/" in page.url
    # no page of the site is reachable before the second factor
    page.goto(f"{live_server.url}/applications/")
    assert "/accounts/two-factor/enrol/" in page.url
    assert page.locator(".site-nav .dropdown-toggle").count() == 0  # no menu either
    qr = page.locator("[data-testid=two-factor-qr]")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.naturalWidth") > 100  # the QR image renders
    secret = page.locator("[data-testid=two-factor-secret]").inner_text()

    page.fill("input[name=token]", "000000" if code_for(secret) != "000000" else "111111")
    page.click("[data-testid=two-factor-enrol] button[type=submit]")
    assert page.locator(".invalid-feedback").inner_text().startswith("验证码不正确")
    page.fill("input[name=token]", code_for(secret))
    with page.expect_navigation():
        page.click("[data-testid=two-factor-enrol] button[type=submit]")
    codes = page.locator("[data-testid=backup-codes] li").all_inner_texts()
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    assert AuditEvent.objects.filter(action="two_factor.enrol", actor=user).exists()
    with page.expect_navigation():
        page.click("[data-testid=backup-codes-continue]")
    assert page.url.endswith("/applications/")
    page.goto(f"{live_server.url}/accounts/two-factor/")
    assert page.locator("[data-testid=backup-codes]").count() == 0  # shown once
    page.screenshot(path="/tmp/sec/two-factor-account.png")

    # a new browser session (cookies gone), sign in again: password, then the next step's code
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "otp_officer")
    page.fill("input[name=password]", "Demo-pass-2026")
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert "/accounts/two-factor/verify/" in page.url
    page.screenshot(path="/tmp/sec/two-factor-verify.png")
    page.fill("input[name=token]", code_for(secret, 1))
    with page.expect_navigation():
        page.click("[data-testid=two-factor-verify] button[type=submit]")
    assert page.url.rstrip("/") == live_server.url
    assert "李处长" in page.locator(".site-nav").inner_text()
    assert errors == []
