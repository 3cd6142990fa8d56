"""The second-factor gate: after the password, no page until the second factor.

A signed-in user whose session is not OTP-verified (django-otp's ``OTPMiddleware`` sets
``request.user.is_verified()``) is sent to the code step when they have a confirmed device,
or to enrolment when the second factor is required for them (``required_for``). Only the
pages of the sign-in itself stay open: login, logout, the code step, enrolment, the
language switch, the health check and static files.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from .services.two_factor import has_devices, required_for

OPEN_URL_NAMES = frozenset(
    {"login", "logout", "two_factor_verify", "two_factor_enrol", "set_language", "healthz"}
)


def _is_open(request) -> bool:
    static = settings.STATIC_URL or "/static/"
    if request.path_info.startswith(static) or request.path_info == "/favicon.ico":
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 shows nothing
    return match.view_name in OPEN_URL_NAMES


def pending_step(user) -> str | None:
    """'two_factor_verify', 'two_factor_enrol' or None for a signed-in, unverified user."""
    if has_devices(user):
        return "two_factor_verify"
    if required_for(user):
        return "two_factor_enrol"
    return None


class TwoFactorMiddleware:
    """After AuthenticationMiddleware, django_otp's OTPMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not _is_open(request)
        ):
            step = pending_step(user)
            if step:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(step)}?{query}")
        return self.get_response(request)
