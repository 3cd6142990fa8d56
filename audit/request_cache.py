"""One cache round trip for what every signed-in page reads.

A signed-in page reads several small entries of the shared cache: the inbox generation with
the task badge and "My center" (``accounts.inbox.per_user``), the unread-messages count and
often an entry of the page's own. On Redis each read is a round trip of about a third of a
millisecond. Within a request (:class:`RequestCacheMiddleware`), the first read of a user's
entries also fetches every key registered with :func:`page_keys`, in one ``get_many``; later
reads of those keys are answered from the request's memo. :func:`set` writes through the
memo; :func:`forget` (every invalidation calls it) empties it, so whatever the same request
reads after a change comes from the cache again. Outside a request (Celery tasks, commands,
tests calling functions directly) there is no memo: every read goes to the cache.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable

from django.core.cache import cache

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("request_cache", default=None)
_MISSING = object()
_page_keys: list[Callable[[int], Iterable[str]]] = []


def page_keys(fn: Callable[[int], Iterable[str]]):
    """Register ``fn(user_id) -> keys``: entries most pages read for that user, fetched with
    the first read of the user's entries in a request (idempotent)."""
    if fn not in _page_keys:
        _page_keys.append(fn)
    return fn


def get_many(keys: Iterable[str], *, user_id: int | None = None) -> dict:
    """``cache.get_many(keys)``, answered from the request's memo where it can; a read that
    goes to the cache also fetches the user's page keys (``user_id``) the memo lacks."""
    keys = list(keys)
    memo = _memo.get()
    if memo is None:
        return cache.get_many(keys)
    wanted = [k for k in keys if k not in memo]
    if wanted:
        if user_id is not None and ("user", user_id) not in memo:
            memo[("user", user_id)] = True
            extra = [k for fn in _page_keys for k in fn(user_id)]
            wanted += [k for k in extra if k not in memo and k not in wanted]
        found = cache.get_many(wanted)
        for k in wanted:
            memo[k] = found.get(k, _MISSING)
    return {k: memo[k] for k in keys if memo[k] is not _MISSING}


def get(key: str, *, user_id: int | None = None):
    return get_many([key], user_id=user_id).get(key)


def set(key: str, value, timeout) -> None:  # noqa: A001 - the cache's own verb
    cache.set(key, value, timeout)
    remember(key, value)


def remember(key: str, value) -> None:
    """What the cache holds under ``key`` now, known without reading it."""
    memo = _memo.get()
    if memo is not None:
        memo[key] = value


def forget() -> None:
    """The request's memo is stale (an invalidation): later reads go to the cache."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


class RequestCacheMiddleware:
    """Give each request a memo of its cache reads, dropped when the response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
