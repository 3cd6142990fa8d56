"""Working-day calendar: answers (is_working_day, nth_working_day, ...) and the write path.

Reads go to the database every call (no cross-request cache), so an
administrator's edit is visible at once. A call loads each year it touches
with one query for the completeness flags and one for the exceptional days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from audit.services import record

from .models import MAX_YEAR, MIN_YEAR, CalendarDay, Year, day_problem, is_weekend

# --------------------------------------------------------------------------- answers


class UnknownCalendarYear(Exception):
    """The year's holiday arrangement has not been entered (or not marked complete)."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"工作日历尚未录入{year}年的节假日安排，请管理员先录入该年度国务院办公厅通知。"
        )


class CalendarError(Exception):
    """A calendar change was refused; the message is Chinese and meant for the user."""


class _Calendar:
    """Exceptional days of the complete years one call has touched."""

    def __init__(self):
        self._days: dict[date, bool] = {}
        self._years: set[int] = set()

    def load(self, years: Iterable[int]) -> None:
        wanted = sorted(set(years) - self._years)
        if not wanted:
            return
        complete = set(
            Year.objects.filter(year__in=wanted, complete=True).values_list("year", flat=True)
        )
        for year in wanted:
            if year not in complete:
                raise UnknownCalendarYear(year)
        self._days.update(
            CalendarDay.objects.filter(year__in=wanted).values_list("date", "is_working_day")
        )
        self._years.update(wanted)

    def is_working_day(self, day: date) -> bool:
        self.load([day.year])
        exceptional = self._days.get(day)
        if exceptional is not None:
            return exceptional
        return not is_weekend(day)


def is_working_day(day: date) -> bool:
    """True if ``day`` is a working day. Raises UnknownCalendarYear for a year not entered."""
    return _Calendar().is_working_day(day)


def nth_working_day(start: date, n: int) -> date:
    """The n-th working day counting ``start`` as the first if it is a working day.

    ``nth_working_day(published_on, 5)`` is the last day of a five-working-day
    publicity period. Raises UnknownCalendarYear as soon as the walk reaches a
    year that is not complete.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    calendar = _Calendar()
    day = start
    count = 0
    while True:
        if calendar.is_working_day(day):
            count += 1
            if count == n:
                return day
        day += timedelta(days=1)


def working_days_between(start: date, end: date) -> int:
    """Number of working days from ``start`` to ``end``, both included (0 if end < start)."""
    if end < start:
        return 0
    calendar = _Calendar()
    calendar.load(range(start.year, end.year + 1))
    total = 0
    day = start
    while day <= end:
        if calendar.is_working_day(day):
            total += 1
        day += timedelta(days=1)
    return total


def working_days_waited(starts: Iterable[date], end: date) -> dict[date, int | None]:
    """For each start day: the working days after it up to and including ``end`` (0 for a
    start on ``end`` or later), or None when the span touches a year the calendar does not
    know completely. Two queries whatever the number of starts and years (a list page)."""
    starts = set(starts)
    if not starts:
        return {}
    first = min(min(starts), end)
    years = set(range(first.year, end.year + 1))
    complete = set(
        Year.objects.filter(year__in=years, complete=True).values_list("year", flat=True)
    )
    exceptional = dict(
        CalendarDay.objects.filter(year__in=complete).values_list("date", "is_working_day")
    )
    # cumulative[d]: working days from ``first`` up to and including d, known years only
    cumulative: dict[date, int] = {}
    total = 0
    day = first
    while day <= end:
        if day.year in complete:
            working = exceptional.get(day)
            total += int(not is_weekend(day) if working is None else working)
        cumulative[day] = total
        day += timedelta(days=1)
    out: dict[date, int | None] = {}
    for start in starts:
        if start >= end:
            out[start] = 0 if start.year in complete else None
        elif not set(range(start.year, end.year + 1)) <= complete:
            out[start] = None
        else:
            out[start] = cumulative[end] - cumulative[start]
    return out


def working_days_of_spans(spans: Iterable[tuple[date, date]]) -> dict[tuple, int | None]:
    """For each (start, end): the working days after ``start`` up to and including ``end``,
    as :func:`working_days_waited` counts them; two queries for any number of spans (the
    dashboard's average days per step)."""
    spans = set(spans)
    if not spans:
        return {}
    end = max(e for _s, e in spans)
    by_end: dict[date, set[date]] = {}
    for start, stop in spans:
        by_end.setdefault(stop, set()).add(start)
    # one calendar load: the waited days up to the last end, then differences
    first = min(s for s, _e in spans)
    upto_end = working_days_waited({first, *{s for s, _e in spans}, *by_end}, end)
    out: dict[tuple, int | None] = {}
    for start, stop in spans:
        a, b = upto_end.get(start), upto_end.get(stop)
        if stop <= start:
            out[(start, stop)] = 0 if a is not None else None
        else:
            out[(start, stop)] = None if a is None or b is None else a - b
    return out


def year_is_complete(year: int) -> bool:
    return Year.objects.filter(year=year, complete=True).exists()


# --------------------------------------------------------------------------- write path


def _day_payload(day: CalendarDay | None) -> dict | None:
    if day is None:
        return None
    return {
        "date": day.date.isoformat(),
        "is_working_day": day.is_working_day,
        "name": day.name,
        "source": day.source,
    }


def _year_payload(year: Year) -> dict:
    return {
        "complete": year.complete,
        "source": year.source,
        "note": year.note,
    }


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(f"年份{year}超出范围（{MIN_YEAR}–{MAX_YEAR}）。")


def _actor_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _create_year(*, actor, year: int, source: str = "", note: str = "") -> Year:
    _check_year(year)
    obj = Year.objects.create(year=year, source=source, note=note, entered_by=_actor_or_none(actor))
    record(
        actor=actor,
        action="workdays.year_create",
        target=obj,
        data={"label": f"建立{year}年度工作日历", "new": _year_payload(obj)},
    )
    return obj


def _lock_year(year: int, *, actor, create: bool = True) -> Year:
    """The Year row, locked; created (incomplete, audited) if missing and ``create``."""
    obj = Year.objects.select_for_update().filter(year=year).first()
    if obj is not None:
        return obj
    if not create:
        raise CalendarError(f"尚未建立{year}年度的工作日历。")
    return _create_year(actor=actor, year=year)


@transaction.atomic
def year_save(*, actor, year: int, source: str = "", note: str = "") -> Year:
    """Create a calendar year (incomplete) or change its source and note."""
    obj = Year.objects.select_for_update().filter(year=year).first()
    if obj is None:
        return _create_year(actor=actor, year=year, source=source, note=note)
    if obj.source == source and obj.note == note:
        return obj
    old = _year_payload(obj)
    obj.source = source
    obj.note = note
    obj.save(update_fields=["source", "note", "updated_at"])
    record(
        actor=actor,
        action="workdays.year_change",
        target=obj,
        data={"label": f"修改{year}年度工作日历说明", "old": old, "new": _year_payload(obj)},
    )
    return obj


@transaction.atomic
def year_mark_complete(*, actor, year: int) -> Year:
    """Declare that the year's arrangement has been entered completely.

    Refused while the year has no holiday at all: every State Council
    arrangement has some, so an empty year is certainly not entered yet.
    """
    obj = _lock_year(year, actor=actor, create=False)
    if obj.complete and not obj.is_demo:
        return obj
    if not obj.days.filter(is_working_day=False).exists():
        raise CalendarError(
            f"{year}年尚未录入任何节假日，不能标记为完整；请先按国务院办公厅通知录入节假日和调休上班日。"
        )
    was_demo = obj.is_demo
    obj.complete = True
    obj.is_demo = False  # the real arrangement replaces a demo one
    obj.entered_by = _actor_or_none(actor)
    obj.save(update_fields=["complete", "is_demo", "entered_by", "updated_at"])
    record(
        actor=actor,
        action="workdays.year_complete",
        target=obj,
        from_state="demo" if was_demo else "incomplete",
        to_state="complete",
        data={
            "label": f"{year}年度工作日历标记为完整",
            "holidays": obj.days.filter(is_working_day=False).count(),
            "workdays": obj.days.filter(is_working_day=True).count(),
        },
    )
    return obj


@transaction.atomic
def year_mark_incomplete(*, actor, year: int, reason: str = "") -> Year:
    """Withdraw completeness (e.g. to correct the entry); deadlines in the year stop being computed."""
    obj = _lock_year(year, actor=actor, create=False)
    if not obj.complete:
        return obj
    was_demo = obj.is_demo
    obj.complete = False
    obj.is_demo = False  # an administrator starts entering the real arrangement
    obj.save(update_fields=["complete", "is_demo", "updated_at"])
    data = {"label": f"{year}年度工作日历撤销完整标记"}
    if reason:
        data["reason"] = reason
    record(
        actor=actor,
        action="workdays.year_incomplete",
        target=obj,
        from_state="demo" if was_demo else "complete",
        to_state="incomplete",
        data=data,
    )
    return obj


def _check_day(day: date, is_working_day: bool, name: str) -> None:
    problem = day_problem(day, is_working_day)
    if problem:
        raise CalendarError(problem)
    if not name.strip():
        raise CalendarError(f"{day.isoformat()}：请填写名称（如“国庆节”“春节调休上班”）。")


@transaction.atomic
def calendar_day_save(
    *, actor, day: date, is_working_day: bool, name: str, source: str = ""
) -> CalendarDay:
    """Add or change one exceptional day (its Year row is created if missing)."""
    name = name.strip()
    _check_day(day, is_working_day, name)
    year = _lock_year(day.year, actor=actor)
    existing = CalendarDay.objects.select_for_update().filter(date=day).first()
    if existing is None:
        obj = CalendarDay.objects.create(
            date=day, year=year, is_working_day=is_working_day, name=name, source=source
        )
        record(
            actor=actor,
            action="workdays.day_add",
            target=year,
            data={"label": f"录入{day.isoformat()} {name}", "new": _day_payload(obj)},
        )
        return obj
    old = _day_payload(existing)
    existing.is_working_day = is_working_day
    existing.name = name
    existing.source = source
    if _day_payload(existing) == old:
        return existing
    existing.save(update_fields=["is_working_day", "name", "source"])
    record(
        actor=actor,
        action="workdays.day_change",
        target=year,
        data={"label": f"修改{day.isoformat()} {name}", "old": old, "new": _day_payload(existing)},
    )
    return existing


@transaction.atomic
def calendar_day_delete(*, actor, day: date) -> bool:
    """Remove one exceptional day (it reverts to the Monday–Friday rule). False if absent."""
    year = Year.objects.select_for_update().filter(year=day.year).first()
    existing = CalendarDay.objects.select_for_update().filter(date=day).first() if year else None
    if existing is None:
        return False
    old = _day_payload(existing)
    existing.delete()
    record(
        actor=actor,
        action="workdays.day_delete",
        target=year,
        data={"label": f"删除{day.isoformat()} {old['name']}", "old": old},
    )
    return True


# --------------------------------------------------------------------------- import


@dataclass(frozen=True)
class DayRow:
    date: date
    is_working_day: bool
    name: str


@dataclass
class ImportResult:
    year: int
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)
    year_source: dict | None = None
    completed: bool = False
    complete: bool = False

    @property
    def changed_anything(self) -> bool:
        return bool(
            self.added or self.changed or self.removed or self.year_source or self.completed
        )


@transaction.atomic
def import_days(
    *,
    actor,
    year: int,
    rows: list[DayRow],
    source: str,
    year_source: str = "",
    complete: bool = False,
    replace: bool = False,
    file_name: str = "",
) -> ImportResult:
    """Import one year's exceptional days, all or nothing, idempotently.

    Rows must already be validated (see ``workdays.importing``); they are
    checked again here and any problem aborts the whole import. ``source`` is
    stored on each day; ``year_source`` (if given) becomes the year's source. Days of the
    year that are not in the file are kept and reported, or removed with
    ``replace``. One audit event summarises a change; a no-op writes none.
    """
    problems = [day_problem(r.date, r.is_working_day) for r in rows]
    problems += [f"{r.date.isoformat()}不属于{year}年。" for r in rows if r.date.year != year]
    problems = [p for p in problems if p]
    if problems:
        raise CalendarError("；".join(problems))
    year_obj = _lock_year(year, actor=actor)
    result = ImportResult(year=year)
    if year_source and year_obj.source != year_source:
        result.year_source = {"old": year_obj.source, "new": year_source}
        year_obj.source = year_source
        year_obj.save(update_fields=["source", "updated_at"])
    existing = {d.date: d for d in CalendarDay.objects.select_for_update().filter(year=year)}
    in_file = set()
    for row in rows:
        in_file.add(row.date)
        key = row.date.isoformat()
        current = existing.get(row.date)
        if current is None:
            CalendarDay.objects.create(
                date=row.date,
                year=year_obj,
                is_working_day=row.is_working_day,
                name=row.name,
                source=source,
            )
            result.added.append(key)
        elif (current.is_working_day, current.name, current.source) != (
            row.is_working_day,
            row.name,
            source,
        ):
            current.is_working_day = row.is_working_day
            current.name = row.name
            current.source = source
            current.save(update_fields=["is_working_day", "name", "source"])
            result.changed.append(key)
        else:
            result.unchanged.append(key)
    for day in sorted(set(existing) - in_file):
        if replace:
            existing[day].delete()
            result.removed.append(day.isoformat())
        else:
            result.not_in_file.append(day.isoformat())
    if result.added or result.changed or result.removed or result.year_source:
        record(
            actor=actor,
            action="workdays.import",
            target=year_obj,
            data={
                "label": f"导入{year}年度工作日历",
                "file": file_name,
                "source": source,
                "added": result.added,
                "changed": result.changed,
                "removed": result.removed,
                "year_source": result.year_source,
            },
        )
    if complete and not year_obj.complete:
        year_mark_complete(actor=actor, year=year)
        result.completed = True
    year_obj.refresh_from_db()
    result.complete = year_obj.complete
    return result
