"""Login lockout (django-axes) with one limit per lockout parameter.

Axes compares the largest failure count of its lockout parameters with one limit. Here the
address and the username have their own limits:

- ``AXES_FAILURE_LIMIT`` (5) failures from one client address, whatever the usernames tried,
  lock that address; other addresses are not affected.
- ``AXES_USERNAME_FAILURE_LIMIT`` (20) failures for one username, from any addresses, lock
  that username everywhere (spraying one account from many addresses).

So five bad passwords from one client lock that client only, while twenty bad passwords for
one username from twenty addresses lock the username. The counts live in the database
(``axes.AccessAttempt``), shared by every worker; the client address comes from
``audit.client_ip`` and the username is compared without regard to case.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def axes_username(request, credentials=None):
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        value = credentials.get(field)
    else:
        value = getattr(request, "data", request.POST).get(field)
    if value is None:
        return None
    return str(value).strip().lower()[:150]


def _limit_for(parameter) -> int:
    base = int(settings.AXES_FAILURE_LIMIT)
    names = [parameter] if isinstance(parameter, str) else list(parameter)
    if names == ["username"]:
        return int(getattr(settings, "AXES_USERNAME_FAILURE_LIMIT", base))
    return base


class TieredLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """Failures scaled to AXES_FAILURE_LIMIT: >= that limit exactly when some parameter
        has reached its own limit (floor(count * base / limit) >= base iff count >= limit)."""
        base = int(settings.AXES_FAILURE_LIMIT)
        parameters = settings.AXES_LOCKOUT_PARAMETERS
        scaled = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=False
        ):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            scaled = max(scaled, count * base // max(_limit_for(parameter), 1))
        return scaled
