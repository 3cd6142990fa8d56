"""Staff sessions: ended after STAFF_SESSION_IDLE_MINUTES without a request, and at browser
close (the session cookie carries no expiry date).

"Staff" is every signed-in user with a role other than applicant (provincial officers,
department reviewers, administrators, experts, evaluators) and every ``is_staff`` or
superuser account: they see other organizations' data, expert identities and scores.
Applicants (who see only their own organization) keep SESSION_COOKIE_AGE.

The time of the last request is written into the session at most once a minute
(ACTIVITY_STEP): a staff user's pages save the session once a minute rather than on every
request (an UPDATE and a transaction on each page), and the idle limit holds to within that
minute. The login itself stamps it (a receiver of ``user_logged_in``, while the login view
saves the session anyway), so the first page after signing in writes nothing.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from .roles import APPLICANT, user_roles

LAST_ACTIVITY = "staff_last_activity"
ACTIVITY_STEP = 60  # seconds between two writes of LAST_ACTIVITY


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
        if hasattr(request, "session"):
            note_activity(request.session, getattr(request, "user", None))
        return response


def note_activity(session, user, now: float | None = None) -> None:
    """Stamp a staff user's session with the time of this request, when the stamp is missing
    or at least ACTIVITY_STEP old (or ahead of the clock); the session then ends at browser
    close. Unchanged, the session is not saved."""
    if not is_staff_session_user(user):
        return
    now = time.time() if now is None else now
    last = session.get(LAST_ACTIVITY)
    if last is None or not 0 <= now - last < ACTIVITY_STEP:
        session[LAST_ACTIVITY] = int(now)
    if not session.get_expire_at_browser_close():
        session.set_expiry(0)


def note_activity_at_login(sender, request, user, **kwargs):
    """user_logged_in: the login view saves the session, stamped with the login's time."""
    note_activity(request.session, user)
