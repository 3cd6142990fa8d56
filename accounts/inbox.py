"""My tasks: what waits for a user, gathered from task providers the apps register.

Each app contributes providers in ``<app>/tasks_inbox.py`` (a name apart from Celery's
``tasks.py``): functions ``(user) -> list[Task]`` that read through the app's own
selectors, so a provider shows exactly what the corresponding list page shows the user.
The app registers them in its ``AppConfig.ready`` with :func:`register`; the home view and
the navigation call :func:`inbox_for` and never import an app above accounts.

A provider over many rows (plans to re-check: thousands at province scale) is written with
:func:`rows_provider`: it then also counts its tasks in the database and builds only the
oldest ones, so the home page shows the oldest :data:`HOME_TASKS` tasks (with a link to
the full, paged list) and the navigation badge counts without building any task.

The waited working days come from the working-day calendar (workdays); a date in a year
the calendar does not know leaves the day count empty and names the year, it never fails.
"""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Window
from django.utils import timezone, translation

from audit import request_cache

from . import inbox_topics


@dataclass(frozen=True)
class Task:
    """One thing waiting for the user."""

    kind: str  # what is to be done, a short label ("Plan to review")
    title: str  # what it is about (a plan, an organization, a notice)
    url: str  # where the user does it
    since: dt.date  # the day it started waiting for the user
    deadline: dt.date | None = None
    waited: int | None = None  # working days waited; None while not counted or unknown
    # place in its provider's database order (rows_provider: the earlier in the day first)
    rank: int = 0

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.localdate()


Provider = Callable[[object], list[Task]]
_providers: dict[str, Provider] = {}

# how many tasks the home page shows (the oldest); the rest are on the task list's pages
HOME_TASKS = 20
FAR = dt.date.max


def order_key(task: Task):
    """The inbox order: oldest first, then by deadline, kind, rank and title."""
    return (task.since, task.deadline or FAR, task.kind, task.rank, task.title)


@dataclass(frozen=True)
class Slice:
    """A provider's number of tasks and (at least) its ``limit`` first in the inbox order."""

    count: int
    tasks: list[Task]


def register(provider: Provider) -> Provider:
    """Add a task provider (idempotent: registering the same function again replaces it)."""
    _providers[f"{provider.__module__}.{provider.__qualname__}"] = provider
    inbox_topics.follow(getattr(provider, "reads", None) or ())
    return provider


def providers() -> list[Provider]:
    return list(_providers.values())


def local_date(value) -> dt.date:
    """The Asia/Shanghai day of a datetime (a date passes through)."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def shown(qs, *fields: str):
    """``qs`` loading only the columns a task shows (``fields``; ``a__b`` joins ``a``), never
    the other columns nor the joins its selector adds for its list page (a plan's JSON
    decoded was most of an officer's page). A plan's state is always among them:
    django-fsm reads it as the row loads."""
    related = sorted({f.rsplit("__", 1)[0] for f in fields if "__" in f})
    qs = qs.select_related(None)
    if related:
        qs = qs.select_related(*related)
    return qs.only(*fields)


def rows_slice(
    qs, make: Callable[[object], Task], *, order: tuple[str, ...], limit: int | None
) -> Slice:
    """The tasks of the rows of ``qs`` (``make`` builds one) in the database order ``order``
    (when each row started waiting, oldest first): all of them, or with a ``limit`` its
    count and the ``limit`` first. Each task is ranked by its place in that order, which
    breaks the ties of a day before the title does (:func:`order_key`), so the first rows
    are exactly the provider's first tasks. One query, whatever the rows."""
    rows = qs.order_by(*order, "pk")
    if limit is None:
        return _all_rows(rows, make)
    if limit <= 0:
        return Slice(qs.count(), [])
    # the count of every row rides along on the first ones (a window over the whole set,
    # computed before the limit): one query at one row and at thousands
    rows = list(rows.annotate(_inbox_total=Window(Count("pk")))[:limit])
    count = rows[0]._inbox_total if rows else 0
    return Slice(count, _ranked(rows, make))


def _ranked(rows, make) -> list[Task]:
    return [replace(make(row), rank=i) for i, row in enumerate(rows)]


def _all_rows(qs, make) -> Slice:
    tasks = _ranked(qs, make)
    return Slice(len(tasks), tasks)


def rows_provider(*order: str, reads: Iterable[Iterable[str]] | None = None):
    """Make a provider of ``fn(user) -> (queryset, make_task) | None`` (None: nothing for
    this user) whose rows, in the database order ``order``, give tasks in the inbox order
    (the field or annotation when each started waiting first; then the deadline, if it
    varies): called with the user it lists every task; its ``oldest(user, limit)`` gives
    the :class:`Slice` (:func:`rows_slice`). ``reads``: the topics it reads
    (``inbox_topics.topic(...)`` each), every one whose change may change its tasks; without
    them it is gathered anew after any change (accounts.inbox_topics)."""

    def decorate(fn):
        def oldest(user, limit: int | None) -> Slice:
            found = fn(user)
            if found is None:
                return Slice(0, [])
            qs, make = found
            return rows_slice(qs, make, order=order, limit=limit)

        @functools.wraps(fn)
        def provider(user) -> list[Task]:
            return oldest(user, None).tasks

        provider.oldest = oldest
        if reads is not None:
            provider.reads = tuple(sorted({t for group in reads for t in group}))
        return provider

    return decorate


@dataclass
class Inbox:
    tasks: list[Task] = field(default_factory=list)
    unknown_years: list[int] = field(default_factory=list)  # the calendar misses these
    total: int | None = None  # every task of the user (``tasks`` may be the oldest only)

    @property
    def count(self) -> int:
        return len(self.tasks) if self.total is None else self.total

    @property
    def more(self) -> int:
        """How many tasks are not listed here."""
        return self.count - len(self.tasks)


def gather(user, limit: int | None = None) -> Slice:
    """The number of the user's tasks and, oldest first, all of them or the ``limit`` first
    (``limit=0``: the count alone, counted in the database where a provider can)."""
    if not getattr(user, "is_authenticated", False):
        return Slice(0, [])
    count, tasks = 0, []
    # each provider's part is cached until what it reads changes (accounts.inbox_topics)
    for part in inbox_topics.cached_slices(user, list(_providers.items()), limit, _part_of(user)):
        count += part.count
        tasks.extend(part.tasks)
    tasks.sort(key=order_key)
    return Slice(count, tasks if limit is None else tasks[:limit])


def _part_of(user):
    def part(provider, limit) -> Slice:
        oldest = getattr(provider, "oldest", None)
        if oldest is not None:
            return oldest(user, limit)
        found = provider(user)
        return Slice(len(found), found)

    return part


def collect(user) -> list[Task]:
    """Every provider's tasks for ``user``, oldest first (then by deadline and title)."""
    return gather(user).tasks


def with_waited_days(tasks: Iterable[Task], *, today: dt.date | None = None) -> Inbox:
    """The tasks with their waited working days; the years the calendar lacks are listed."""
    from workdays.services import working_days_waited

    tasks = list(tasks)
    today = today or timezone.localdate()
    waited = working_days_waited({t.since for t in tasks}, today)
    out = [replace(t, waited=waited.get(t.since)) for t in tasks]
    unknown: set[int] = set()
    for t in out:
        if t.waited is None:
            unknown.update(range(min(t.since, today).year, today.year + 1))
    if unknown:
        from workdays.models import Year

        known = set(
            Year.objects.filter(year__in=unknown, complete=True).values_list("year", flat=True)
        )
        unknown -= known
    return Inbox(tasks=out, unknown_years=sorted(unknown))


def _count(user) -> int:
    """The number of the user's tasks, counted once per request user."""
    cached = getattr(user, "_inbox_count", None)
    if cached is None:
        cached = gather(user, 0).count
        if getattr(user, "is_authenticated", False):
            user._inbox_count = cached
    return cached


# The badge is on every page: its count is cached per user for INBOX_COUNT_SECONDS, under a
# generation that every change moves on (every audit event, every save of a model a provider
# reads: accounts.inbox_topics), so a decision shows in everybody's badge on the next page;
# the time limit covers what changes by the clock alone (a deadline passing). Counted again,
# it takes each provider's part from the cache while what that provider reads is unchanged.
GENERATION_KEY = inbox_topics.GENERATION_KEY
COUNT = "count"  # the badge's entry


def invalidate_counts(**_kwargs) -> None:
    """Every cached count and task is stale from now on (in this request too)."""
    inbox_topics.reset()


def _generation():
    generation = request_cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
        request_cache.remember(GENERATION_KEY, generation)
    return generation


def entry_key(name: str, user_id: int) -> str:
    """The cache key of the user's entry ``name`` (:func:`per_user`)."""
    return f"inbox:{name}:{user_id}"


@request_cache.page_keys
def _badge_keys(user_id: int):
    # the badge is on every signed-in page: read with the request's first entry
    return [GENERATION_KEY, entry_key(COUNT, user_id)]


def _read(user, name: str):
    """The current generation, the user's entry ``name`` and what it holds when it was
    stored under this generation (else None): both keys in one round trip, with the entries
    every page reads (:mod:`audit.request_cache`). An entry holds (generation, value); one
    of an older generation is stale."""
    key = entry_key(name, user.pk)
    found = request_cache.get_many([GENERATION_KEY, key], user_id=user.pk)
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = _generation()
    entry = found.get(key)
    value = entry[1] if isinstance(entry, tuple) and entry[0] == generation else None
    return generation, key, value


def per_user(user, name: str, compute: Callable[[], object]):
    """``compute()`` for ``user``, cached like the badge: for INBOX_COUNT_SECONDS under the
    generation every change moves on (computed on every call when that is 0). The
    home page's cards and first tasks use it; ``name`` says what it is (and the language
    its labels are in, when it has labels). One cache round trip when it is cached."""
    seconds = _count_seconds()
    if seconds <= 0 or not getattr(user, "is_authenticated", False):
        return compute()
    # the generation is read before computing: a change meanwhile makes this entry stale
    generation, key, found = _read(user, name)
    if found is None:
        found = compute()
        request_cache.set(key, (generation, found), seconds)
    return found


def task_count(user) -> int:
    """The number of tasks (the navigation badge): one cache read on most pages."""
    if not getattr(user, "is_authenticated", False):
        return 0
    seconds = _count_seconds()
    if seconds <= 0 or getattr(user, "_inbox_count", None) is not None:
        return _count(user)
    return per_user(user, COUNT, lambda: _count(user))


def _count_seconds() -> int:
    return int(getattr(settings, "INBOX_COUNT_SECONDS", 60))


def _remember_count(user, count: int) -> None:
    """The badge's count, known from a gathering: for this request and in the cache."""
    if getattr(user, "is_authenticated", False):
        user._inbox_count = count
        if _count_seconds() > 0:
            entry = (_generation(), count)
            request_cache.set(entry_key(COUNT, user.pk), entry, _count_seconds())


def inbox_for(user, limit: int | None = None) -> Inbox:
    """The user's oldest ``limit`` tasks (default :data:`HOME_TASKS`) with their waited
    working days and the number of all of them (the home page), cached as the badge's count
    is (:func:`per_user`); the badge's cached count is refreshed."""
    limit = HOME_TASKS if limit is None else limit
    # the count and the oldest tasks (in the language of the request) are cached like the
    # badge; the working days waited depend on today and are counted on every request
    found = per_user(
        user, f"home:{translation.get_language()}:{limit}", lambda: gather(user, limit)
    )
    _remember_count(user, found.count)
    inbox = with_waited_days(found.tasks)
    inbox.total = found.count
    return inbox


class TaskList:
    """The user's tasks as a sequence for a Paginator: its length is the count, a slice
    gathers only the oldest tasks up to the slice's end. ``upto`` (the end of the page
    that will be shown) lets the count and that page come from one gathering, cached as
    the home page's is (:func:`per_user`)."""

    def __init__(self, user, upto: int = 0):
        self.user = user
        self._found = None
        if upto > 0:
            name = f"list:{translation.get_language()}:{upto}"
            self._found = per_user(user, name, lambda: gather(user, upto))
            _remember_count(user, self._found.count)

    def __len__(self) -> int:
        return self._found.count if self._found is not None else _count(self.user)

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.stop is None:
            raise TypeError("TaskList takes a bounded slice")
        found = self._found
        if found is None or (index.stop > len(found.tasks) and found.count > len(found.tasks)):
            found = gather(self.user, index.stop)
        return found.tasks[index]


def warm_homes(*, days: int = 30) -> int:
    """Gather the home page's tasks of the province's and departments' staff who signed in
    within ``days`` (the beat task ``accounts.tasks.warm_my_tasks``, each morning): every
    provider's part is stamped with the day, so the first page of a day would gather them
    all; after this it takes them from the cache. Idempotent; returns how many were done."""
    from .models import User
    from .roles import DEPARTMENT_REVIEWER, PROVINCIAL_OFFICER, group_name

    if _count_seconds() <= 0:
        return 0
    staff = User.objects.filter(
        is_active=True,
        last_login__gte=timezone.now() - dt.timedelta(days=days),
        groups__name__in=[group_name(PROVINCIAL_OFFICER), group_name(DEPARTMENT_REVIEWER)],
    ).distinct()
    done = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in staff.iterator():
            inbox_for(user)
            done += 1
    return done
