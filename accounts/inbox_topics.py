"""What each task provider reads, and a generation for each thing read, so that after a
change My tasks gathers again only the providers that read what changed.

A *topic* is a model (``"applications.application"``) or a model's rows in one state
(``"applications.application:province_recheck"``). A provider declares the topics it reads
(``rows_provider(..., reads=...)``); one that declares none reads everything. Each topic has
a generation in the cache; so does "anything" (:data:`GENERATION_KEY`, what the badge, the
home page's entry and the other per-user entries follow) and "everything anew"
(:data:`RESET_KEY`, :func:`reset`).

What moves a topic on, in the writer's transaction and again once it commits (a page
rendered meanwhile may have read the rows before the commit):

- an audit event (every state change writes one; ``audit.signals.recorded``): the target's
  model, its state before and after, and the state each target is in;
- a save or delete of a model some provider reads (``post_save``, ``post_delete``): the
  model and the row's state;
- :func:`touch` where a service changes such rows with ``update()`` and writes no event.

A provider's cached slice (:func:`cached_slices`) carries the generations of its topics when
it was computed, the day (what changes by the clock alone changes with the date: a
publicity period ending, a report falling due) and what the user is (roles, department,
organization): it is used while all of them are unchanged, for INBOX_TASKS_SECONDS at most.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from audit import request_cache

GENERATION_KEY = "inbox:generation"  # moved on by every change
RESET_KEY = "inbox:topic:*"  # moved on by reset(): every provider's slice is stale
_followed: set[str] = set()  # the models some provider reads (their labels)


def topic(model, *states: str) -> tuple[str, ...]:
    """The topics of ``model``: the model, or its rows in each of ``states``."""
    label = model._meta.concrete_model._meta.label_lower
    return tuple(f"{label}:{state}" for state in states) if states else (label,)


def follow(topics: Iterable[str]) -> None:
    """A provider reads ``topics``: their models' saves and deletes move them on."""
    _followed.update(t.split(":", 1)[0] for t in topics)


def _key(topic_name: str) -> str:
    return f"inbox:topic:{topic_name}"


def _bump(keys: Iterable[str]) -> None:
    now = time.time_ns()
    cache.set_many({key: now for key in {GENERATION_KEY, *keys}}, None)
    request_cache.forget()


def _moved(keys: list[str]) -> None:
    """Move ``keys`` on now (for this request) and once the transaction commits; a key moved
    earlier in the same atomic block waits for the commit alone (a designation saves many
    rows of the same models: two cache writes, not two a row)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(keys)
        return
    pending = _pending(connection)
    new = [key for key in keys if key not in pending]
    if new:
        _bump(new)
        pending.update(new)


def _pending(connection) -> set[str]:
    """The keys to move on when this atomic block commits. One set per block (the same
    savepoints): a set whose callback is no longer waiting (the transaction committed, or
    the savepoint that registered it rolled back) or of another block is left behind and a
    new one registered. (A test runs in one transaction: each service's block is its own.)"""
    block = tuple(connection.savepoint_ids)
    state = getattr(connection, "_inbox_pending", None)
    # Django keeps the waiting callbacks as (savepoint ids, callback, robust)
    if (
        state is None
        or state[2] != block
        or not any(fn is state[1] for _ids, fn, _robust in connection.run_on_commit)
    ):
        keys: set[str] = set()

        def flush():
            connection._inbox_pending = None
            _bump(keys)

        transaction.on_commit(flush)
        state = connection._inbox_pending = (keys, flush, block)
    return state[0]


def touch(model, states: Iterable[str | None] = ()) -> None:
    """``model``'s rows (in ``states``) changed: the topics that cover them move on."""
    label = model._meta.concrete_model._meta.label_lower
    names = [label, *(f"{label}:{s}" for s in set(states) if s)]
    _moved([_key(name) for name in names])


def reset(**_kwargs) -> None:
    """Every cached task is stale from now on (in this request too)."""
    _moved([RESET_KEY])


def on_recorded(sender, targets, from_state="", to_state="", **_kwargs) -> None:
    """Audit events on ``targets``: their model, the states left and entered, and the state
    each target is in (an event without states: a change within the state)."""
    states = {from_state, to_state, *(getattr(t, "status", None) for t in targets)}
    touch(sender, [s for s in states if isinstance(s, str)])


def on_row_changed(sender, instance, **_kwargs) -> None:
    """A save or delete: followed models move their topics on (others cost one lookup)."""
    if sender._meta.concrete_model._meta.label_lower in _followed:
        status = getattr(instance, "status", None)
        touch(sender, [status] if isinstance(status, str) else [])


def _context(user) -> tuple:
    """What a user's tasks depend on besides the rows: the day, the roles and the units."""
    from .roles import user_roles

    roles = tuple(sorted(user_roles(user)))
    return (timezone.localdate().isoformat(), roles, user.department_id, user.organization_id)


def _cached_for(user) -> bool:
    """Whether the user's parts are cached (tests switch it off: INBOX_COUNT_SECONDS 0)."""
    return int(getattr(settings, "INBOX_COUNT_SECONDS", 60)) > 0 and user.is_authenticated


def _seconds() -> int:
    return int(getattr(settings, "INBOX_TASKS_SECONDS", 24 * 3600))


def _stamp_keys(provider) -> list[str]:
    reads = getattr(provider, "reads", None)
    if reads is None:
        return [GENERATION_KEY, RESET_KEY]
    return [RESET_KEY, *(_key(t) for t in reads)]


def _covers(stored_limit, stored, limit) -> bool:
    """A slice computed up to ``stored_limit`` answers one asked up to ``limit``."""
    if stored_limit is None or len(stored.tasks) >= stored.count:
        return True
    return limit is not None and limit <= stored_limit


def cached_slices(user, named: list[tuple[str, object]], limit, compute: Callable) -> list:
    """``compute(provider, limit)`` of each ``(name, provider)`` for ``user``, each taken
    from the cache while the generations of what it reads are unchanged: one round trip to
    read them all, one to store those computed anew. With INBOX_COUNT_SECONDS at 0 every
    provider is computed; with INBOX_VERIFY every cached slice is checked against a fresh
    one (a test of the topics providers declare)."""
    if not _cached_for(user):
        return [compute(provider, limit) for _name, provider in named]
    context = _context(user)
    language = translation.get_language()
    entry_keys = [f"inbox:p:{language}:{name}:{user.pk}" for name, _p in named]
    stamps = [_stamp_keys(provider) for _name, provider in named]
    found = cache.get_many([*entry_keys, *{k for keys in stamps for k in keys}])
    verify = getattr(settings, "INBOX_VERIFY", False)
    out, fresh = [], {}
    for (name, provider), key, stamp_keys in zip(named, entry_keys, stamps, strict=True):
        stamp = (context, *(found.get(k) for k in stamp_keys))
        entry = found.get(key)
        if entry is not None and entry[0] == stamp and _covers(entry[1], entry[2], limit):
            part = entry[2]  # perhaps more tasks than asked for: gather() cuts
            if verify:
                _check(name, part, compute(provider, limit))
        else:
            part = compute(provider, limit)
            fresh[key] = (stamp, limit, part)
        out.append(part)
    if fresh:
        cache.set_many(fresh, _seconds())
    return out


def _check(name: str, cached, computed) -> None:
    # a slice stored for a larger limit starts with the tasks of a smaller one
    if cached.count != computed.count or cached.tasks[: len(computed.tasks)] != computed.tasks:
        raise AssertionError(
            f"stale cached tasks of {name}: {cached!r} != {computed!r}; "
            "does the provider declare every topic it reads?"
        )


def cached_value(user, name: str, reads: Iterable[Iterable[str]], compute: Callable):
    """``compute()`` for ``user`` (a home card's counts), cached like a provider's part:
    until a topic of ``reads`` moves on, the day or the user's roles or units change."""
    if not _cached_for(user):
        return compute()
    topics = [t for group in reads for t in group]
    follow(topics)
    key = f"inbox:v:{name}:{user.pk}"
    stamp_keys = [RESET_KEY, *(_key(t) for t in topics)]
    found = cache.get_many([key, *stamp_keys])
    stamp = (_context(user), *(found.get(k) for k in stamp_keys))
    entry = found.get(key)
    if entry is not None and entry[0] == stamp:
        if getattr(settings, "INBOX_VERIFY", False) and entry[1] != compute():
            raise AssertionError(f"stale cached {name}: does it declare every topic it reads?")
        return entry[1]
    value = compute()
    cache.set(key, (stamp, value), _seconds())
    return value
