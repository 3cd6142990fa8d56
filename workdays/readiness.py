"""Is the working-day calendar ready for the dates ahead? Warnings for the interface.

Deadlines such as the five-working-day publicity period cannot be computed in a year whose
State Council arrangement is not entered completely. The arrangement of a year is published
late in the year before, so from 1 October on, administrators and officers are reminded of the
coming year as long as it is not complete (a demo arrangement does not count), and of the
current year at any time.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Year

WARN_FROM = (10, 1)  # month, day: from then on next year's arrangement is asked for


def years_to_check(today: date) -> list[int]:
    years = [today.year]
    if (today.month, today.day) >= WARN_FROM:
        years.append(today.year + 1)
    return years


def calendar_warnings(today: date | None = None) -> list[str]:
    """Sentences (in the active language), one per year that is needed and not entered completely."""
    today = today or timezone.localdate()
    years = years_to_check(today)
    rows = {row.year: row for row in Year.objects.filter(year__in=years)}
    warnings = []
    for year in years:
        row = rows.get(year)
        if row is not None and row.complete and not row.is_demo:
            continue
        if row is None:
            state = _("not entered yet")
        elif row.is_demo:
            state = _(
                "only a demo arrangement (weekends off, no holidays), not the one the State Council General Office published"
            )
        else:
            state = _("not complete yet")
        when = "" if year == today.year else _("from that year on")
        warnings.append(
            _(
                "The working-day calendar of %(year)s is %(state)s: %(when)s deadlines counted "
                "in working days, such as the publicity period, cannot be computed. An "
                "administrator enters the holidays and make-up working days of the State "
                "Council General Office's notice on the holidays of %(year)s, checks them and "
                "marks the year complete."
            )
            % {"year": year, "state": state, "when": when}
        )
    return warnings


def sees_calendar_warnings(user) -> bool:
    """Administrators and provincial officers: the people who enter or depend on the calendar."""
    from accounts.roles import ADMINISTRATOR, PROVINCIAL_OFFICER, user_roles

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.has_perm("workdays.change_year"):
        return True
    return bool(user_roles(user) & {ADMINISTRATOR, PROVINCIAL_OFFICER})
