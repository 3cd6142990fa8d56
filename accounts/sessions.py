"""Staff sessions: ended after STAFF_SESSION_IDLE_MINUTES without a request, and at browser
close (the session cookie carries no expiry date).

"Staff" is every signed-in user with a role other than applicant (provincial officers,
department reviewers, administrators, experts, evaluators) and every ``is_staff`` or
superuser account: they see other organizations' data, expert identities and scores.
Applicants (who see only their own organization) keep SESSION_COOKIE_AGE.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from .roles import APPLICANT, user_roles

LAST_ACTIVITY = "staff_last_activity"


def is_staff_session_user(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or (user_roles(user) - {APPLICANT}))


def idle_seconds() -> int:
    return int(getattr(settings, "STAFF_SESSION_IDLE_MINUTES", 30)) * 60


class StaffSessionMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_staff_session_user(request.user):
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and time.time() - last > idle_seconds():
                logout(request)
                messages.warning(
                    request,
                    f"您已超过{idle_seconds() // 60}分钟未操作，为保护数据安全已自动退出，"
                    "请重新登录。",
                )
                return redirect_to_login(request.get_full_path())
        response = self.get_response(request)
        # also right after the login view signed the user in
        if is_staff_session_user(getattr(request, "user", None)) and hasattr(request, "session"):
            session = request.session
            # every request of a staff user saves the session (one UPDATE): the same queries
            # on every page, and an exact idle limit
            session[LAST_ACTIVITY] = int(time.time())
            if not session.get_expire_at_browser_close():
                session.set_expiry(0)
        return response
