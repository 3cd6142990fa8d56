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


NO_DEVICES = "two_factor_none"


def pending_step(request) -> str | None:
    """'two_factor_verify', 'two_factor_enrol' or None for a signed-in, unverified user.

    A user for whom the second factor is optional and who has no device is remembered in
    the session (no device query on each of their requests); enrolling in another session
    therefore takes effect here at the next sign-in."""
    user = request.user
    if required_for(user):
        return "two_factor_verify" if has_devices(user) else "two_factor_enrol"
    if request.session.get(NO_DEVICES) == user.pk:
        return None
    if has_devices(user):
        return "two_factor_verify"
    request.session[NO_DEVICES] = user.pk
    return None


def remember_at_login(sender, request, user, **kwargs):
    """``user_logged_in``: remember a user without any device in the new session, so that
    the gate asks the database nothing on their requests."""
    session = getattr(request, "session", None)
    if session is not None and not has_devices(user):
        session[NO_DEVICES] = user.pk


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
            step = pending_step(request)
            if step:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(step)}?{query}")
        return self.get_response(request)
