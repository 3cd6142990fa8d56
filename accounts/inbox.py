"""My tasks: what waits for a user, gathered from task providers the apps register.

Each app contributes providers in ``<app>/tasks_inbox.py`` (a name apart from Celery's
``tasks.py``): functions ``(user) -> list[Task]`` that read through the app's own
selectors, so a provider shows exactly what the corresponding list page shows the user.
The app registers them in its ``AppConfig.ready`` with :func:`register`; the home view and
the navigation call :func:`inbox_for` and never import an app above accounts.

The waited working days come from the working-day calendar (workdays); a date in a year
the calendar does not know leaves the day count empty and names the year, it never fails.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from audit.models import AuditEvent


@dataclass(frozen=True)
class Task:
    """One thing waiting for the user."""

    kind: str  # what is to be done, a short label ("Plan to review")
    title: str  # what it is about (a plan, an organization, a notice)
    url: str  # where the user does it
    since: dt.date  # the day it started waiting for the user
    deadline: dt.date | None = None
    waited: int | None = None  # working days waited; None while not counted or unknown

    @property
    def overdue(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.localdate()


Provider = Callable[[object], list[Task]]
_providers: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    """Add a task provider (idempotent: registering the same function again replaces it)."""
    _providers[f"{provider.__module__}.{provider.__qualname__}"] = provider
    return provider


def providers() -> list[Provider]:
    return list(_providers.values())


def local_date(value) -> dt.date:
    """The Asia/Shanghai day of a datetime (a date passes through)."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def entered_state(model, *, state_field: str = "status", fallback: str = "updated_at"):
    """An annotation: when the row entered its current state, by the latest audit event
    whose ``to_state`` is the row's state (``fallback`` when no event recorded it)."""
    events = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        target_id=Cast(OuterRef("pk"), output_field=CharField()),
        to_state=OuterRef(state_field),
    ).order_by("-created_at", "-pk")
    return Coalesce(Subquery(events.values("created_at")[:1]), F(fallback))


@dataclass
class Inbox:
    tasks: list[Task] = field(default_factory=list)
    unknown_years: list[int] = field(default_factory=list)  # the calendar misses these

    @property
    def count(self) -> int:
        return len(self.tasks)


def collect(user) -> list[Task]:
    """Every provider's tasks for ``user``, oldest first (then by deadline and title)."""
    if not getattr(user, "is_authenticated", False):
        return []
    tasks: list[Task] = []
    for provider in providers():
        tasks.extend(provider(user))
    far = dt.date.max
    return sorted(tasks, key=lambda t: (t.since, t.deadline or far, t.kind, t.title))


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


def _tasks(user) -> list[Task]:
    """Every task of the user, gathered once per request user."""
    cached = getattr(user, "_inbox_tasks", None)
    if cached is None:
        cached = collect(user)
        if getattr(user, "is_authenticated", False):
            user._inbox_tasks = cached
    return cached


# The badge is on every page: its count is cached per user for INBOX_COUNT_SECONDS, under a
# generation that every audit event (every state change writes one) moves on, so a
# decision shows in everybody's badge on the next page; the time limit covers what changes
# by the clock alone (a deadline passing).
GENERATION_KEY = "inbox:generation"


def invalidate_counts(**_kwargs) -> None:
    """Every cached badge count is stale from now on."""
    cache.set(GENERATION_KEY, time.time_ns(), None)


def on_audit_event(**_kwargs) -> None:
    """A state change: the counts are stale now and again once its transaction commits
    (a page rendered meanwhile may have cached the count before the commit)."""
    invalidate_counts()
    transaction.on_commit(invalidate_counts)


def _count_key(user) -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY, generation)
    return f"inbox:count:{generation}:{user.pk}"


def task_count(user) -> int:
    """The number of tasks (the navigation badge): one cache read on most pages."""
    if not getattr(user, "is_authenticated", False):
        return 0
    seconds = _count_seconds()
    if seconds <= 0 or getattr(user, "_inbox_tasks", None) is not None:
        return len(_tasks(user))
    key = _count_key(user)
    count = cache.get(key)
    if count is None:
        count = len(_tasks(user))
        cache.set(key, count, seconds)
    return count


def _count_seconds() -> int:
    return int(getattr(settings, "INBOX_COUNT_SECONDS", 60))


def inbox_for(user) -> Inbox:
    """The user's tasks with their waited working days (the home page); the badge's
    cached count is refreshed from the full list."""
    tasks = _tasks(user)
    if getattr(user, "is_authenticated", False) and _count_seconds() > 0:
        cache.set(_count_key(user), len(tasks), _count_seconds())
    return with_waited_days(tasks)
