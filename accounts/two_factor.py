"""Two-factor sign-in pages: the code step after the password, enrolment with a QR code,
and the account page (status, new backup codes, turning the optional second factor off).

The gate that sends a signed-in but unverified user here is ``accounts.two_factor_gate``;
the devices and their audit events are ``accounts.services.two_factor``. Failed codes are
counted per account and per real client address (``accounts.throttle``) like the login.
"""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from audit.client_ip import client_ip

from .auth_views import too_many_message
from .forms import TwoFactorTokenForm
from .services import two_factor as service
from .throttle import hit, over, rate

PENDING_KEY = "two_factor_pending_key"
NEW_CODES = "two_factor_new_codes"


def _next_url(request, default="home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _limits():
    return (
        ("two-factor-user", rate("TWO_FACTOR_RATE_PER_USER", (5, 1800))),
        ("two-factor-client", rate("TWO_FACTOR_RATE_PER_CLIENT", (20, 1800))),
    )


def _throttle_keys(request):
    return {"two-factor-user": str(request.user.pk), "two-factor-client": client_ip(request)}


def _refused_by_throttle(request, form):
    keys = _throttle_keys(request)
    for bucket, limit in _limits():
        if over(bucket, keys[bucket], limit):
            form.add_error(None, too_many_message(limit))
            return True
    return False


def _count_failure(request, form):
    keys = _throttle_keys(request)
    for bucket, limit in _limits():
        hit(bucket, keys[bucket], limit)
    form.add_error("token", _("The code is wrong or has expired; please enter it again."))


def _page(request, template, context, status=200):
    context.setdefault("next", _next_url(request))
    return render(request, f"accounts/two_factor/{template}", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The code step: the authenticator's code or one backup code."""
    if request.user.is_verified() or not service.has_devices(request.user):
        return redirect(_next_url(request))
    form = TwoFactorTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _refused_by_throttle(request, form):
            return _page(request, "verify.html", {"form": form}, status=429)
        device = service.verify(actor=request.user, token=form.cleaned_data["token"])
        if device is None:
            _count_failure(request, form)
        else:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = service.remaining_backup_codes(request.user)
                text = _("You used a backup code; %(left)d left.") % {"left": left}
                messages.warning(request, text)
            return redirect(_next_url(request))
    return _page(request, "verify.html", {"form": form})


def _qr_data_uri(device) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Scan the QR code (or type the key), then confirm with one code from the app."""
    user = request.user
    if service.has_devices(user):
        if not user.is_verified():  # the existing second factor first
            return redirect("two_factor_verify")
        if service.is_enrolled(user):
            messages.info(request, _("Two-factor sign-in is already on."))
            return redirect("two_factor_settings")
    key = request.session.get(PENDING_KEY)
    device = service.new_authenticator(user, key)
    request.session[PENDING_KEY] = device.key
    form = TwoFactorTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _refused_by_throttle(request, form):
            return _enrol_page(request, device, form, status=429)
        done = service.confirm_enrolment(
            actor=user, key=device.key, token=form.cleaned_data["token"]
        )
        if done is None:
            _count_failure(request, form)
        else:
            device, codes = done
            request.session.pop(PENDING_KEY, None)
            otp_login(request, device)
            request.session[NEW_CODES] = codes
            messages.success(request, _("Two-factor sign-in is on. Save the backup codes below."))
            query = urlencode({"next": _next_url(request)})
            return redirect(f"{reverse('two_factor_settings')}?{query}")
    return _enrol_page(request, device, form)


def _enrol_page(request, device, form, status=200):
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    context = {
        "form": form,
        "qr": _qr_data_uri(device),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "otpauth": device.config_url,
        "required": service.required_for(request.user),
    }
    return _page(request, "enrol.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """Status of the second factor; new backup codes (shown once); turn it off if optional."""
    user = request.user
    required = service.required_for(user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "backup_codes" and service.is_enrolled(user):
            request.session[NEW_CODES] = service.regenerate_backup_codes(actor=user)
            messages.success(request, _("New backup codes are ready; the old ones no longer work."))
        elif action == "disable" and service.has_devices(user) and not required:
            service.remove_devices(actor=user, user=user)
            messages.success(request, _("Two-factor sign-in is off."))
        elif action == "disable" and required:
            messages.error(
                request, _("Your role must use two-factor sign-in; it cannot be turned off.")
            )
        return redirect("two_factor_settings")
    context = {
        "enrolled": service.is_enrolled(user),
        "required": required,
        "enforced": bool(getattr(settings, "TWO_FACTOR_REQUIRED", False)),
        "remaining": service.remaining_backup_codes(user),
        "new_codes": request.session.pop(NEW_CODES, None),
    }
    return _page(request, "account.html", context)
