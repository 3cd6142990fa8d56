"""Demo calendar, so that `make run` works on any date. Idempotent.

The demo publishes a notice today and had one published a month ago; both periods are counted
in working days, which needs the years they touch. For a needed year that the database does not
know, the demo enters a **demo arrangement** (演示用安排): weekends off, no holidays, marked
``is_demo`` and shown as such in the admin and in the calendar warnings. Only this module
creates one, and only with DEBUG on; the product itself keeps refusing unknown years until an
administrator enters the real arrangement (marking the year complete replaces the demo one).

A year that is not needed yet is left to the administrator as a visible to-do (an empty
incomplete year with a note), as in real life when the State Council notice comes out.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import record

from . import services
from .models import Year

# The demo's periods: a notice published 30 days ago, one published today (five working days,
# at most about three weeks with a long holiday in a real arrangement).
DAYS_BACK = 31
DAYS_AHEAD = 21

DEMO_SOURCE = "演示用安排（seed_demo 录入：仅周末休息，无节假日）"
DEMO_NOTE = (
    "演示用安排，不是国务院办公厅公布的节假日安排：只有星期六、星期日休息，没有节假日和调休。"
    "正式使用前请取消“完整”标记，按该年度通知录入放假日和调休上班日，核对后重新勾选“完整”。"
)
TODO_NOTE = (
    "演示：{year}年的节假日安排尚未录入。请按《国务院办公厅关于{year}年部分节假日安排的通知》"
    "录入放假日和调休上班日（或用 import_workdays 导入CSV），核对后勾选“完整”。"
)


def _say(ctx, text):
    out = ctx.get("stdout")
    if out is not None:
        out.write(f"  workdays: {text}\n")


def needed_years(today: date) -> list[int]:
    return list(
        range(
            (today - timedelta(days=DAYS_BACK)).year, (today + timedelta(days=DAYS_AHEAD)).year + 1
        )
    )


def _is_demo_todo(row: Year) -> bool:
    """The demo's own to-do year, untouched since: it may become a demo arrangement."""
    return (
        not row.complete and row.note == TODO_NOTE.format(year=row.year) and not row.days.exists()
    )


@transaction.atomic
def enter_demo_year(year: int) -> Year | None:
    """Enter a demo arrangement for ``year`` (DEBUG only). None when the year is being entered
    (it has days, or it is complete): a demo arrangement never replaces anyone's entry."""
    if not settings.DEBUG:
        raise services.CalendarError("演示用工作日历只能在演示环境（DEBUG）中由 seed_demo 录入。")
    row = Year.objects.select_for_update().filter(year=year).first()
    if row is not None and (row.complete or not _is_demo_todo(row)):
        return None
    row = row or Year(year=year)
    row.complete = True
    row.is_demo = True
    row.source = DEMO_SOURCE
    row.note = DEMO_NOTE
    row.save()
    record(
        actor=None,
        action="workdays.demo_year",
        target=row,
        to_state="demo",
        data={"label": f"录入{year}年度演示用工作日历（仅周末休息，无节假日）"},
    )
    return row


def seed(ctx):
    today = timezone.localdate()
    needed = needed_years(today)
    for year in needed:
        if enter_demo_year(year) is not None:
            _say(ctx, f"{year}年尚无节假日安排，已录入演示用安排（仅周末休息）")
        elif not Year.objects.filter(year=year, complete=True).exists():
            _say(ctx, f"{year}年的工作日历正在录入，未完成；演示的公示可能无法发布")
    todo = today.year + 1
    if todo not in needed and not Year.objects.filter(year=todo).exists():
        services.year_save(actor=None, year=todo, note=TODO_NOTE.format(year=todo))
