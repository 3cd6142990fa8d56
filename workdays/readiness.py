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

from .models import Year

WARN_FROM = (10, 1)  # month, day: from then on next year's arrangement is asked for


def years_to_check(today: date) -> list[int]:
    years = [today.year]
    if (today.month, today.day) >= WARN_FROM:
        years.append(today.year + 1)
    return years


def calendar_warnings(today: date | None = None) -> list[str]:
    """Chinese sentences, one per year that is needed and not entered completely."""
    today = today or timezone.localdate()
    years = years_to_check(today)
    rows = {row.year: row for row in Year.objects.filter(year__in=years)}
    warnings = []
    for year in years:
        row = rows.get(year)
        if row is not None and row.complete and not row.is_demo:
            continue
        if row is None:
            state = "尚未录入"
        elif row.is_demo:
            state = "只有演示用安排（仅周末休息，无节假日），不是国务院办公厅公布的安排"
        else:
            state = "尚未录入完整"
        when = "" if year == today.year else "从该年起"
        warnings.append(
            f"{year}年度工作日历{state}：{when}公示期等按工作日计算的期限无法计算。"
            f"请管理员按国务院办公厅关于{year}年部分节假日安排的通知录入放假日和调休上班日，"
            "核对后标记为完整。"
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
