"""Cached public pages (registry, publicity notices, exports), dropped whenever data change.

A page is cached only for a visitor who is not logged in and carries no session (no
messages, no objection receipt): everybody else gets it rendered. The cache key holds a
*version* that every save or delete of the data a public page shows replaces (notice
published, designation, rename, revocation, verified organization name, issued notice...),
at once and again when the transaction commits, so a change shows on the next request.
The cache is ``settings.CACHES["default"]``: Redis in production, the shared file cache in
the demo (the Celery worker invalidates the web process's pages), local memory in tests.

The per-visitor CSRF token in a cached page is swapped for the visitor's own on the way out.

Each process also keeps its last cached bodies in memory (``LOCAL_BYTES`` at most), under
the same versioned key: a hit then costs one read of the small version key from the shared
cache instead of fetching (and, in the file cache, decompressing) the whole page. Being
under the version, a local copy is never served after a change.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
import time
from collections import OrderedDict
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, StreamingHttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

VERSION_KEY = "centers:public:version"
TIMEOUT = 600  # seconds; the key also holds the date (notices open and close by the day)
CSRF_SLOT = "@@csrf@@"
_CSRF_RE = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{32,64}')
# apps whose rows public pages show, and the models of lower apps they show
WATCHED_APPS = {"centers", "documents"}
WATCHED_MODELS = {("accounts", "organization"), ("accounts", "city")}


LOCAL_BYTES = 4 * 1024 * 1024  # per process; a body larger than a quarter of it is not kept
# A download is stored in the shared cache only up to this size: a bigger one (a registry
# many times today's) is streamed to every visitor instead of gathered whole in memory.
STORED_DOWNLOAD_BYTES = 16 * 1024 * 1024
SEND_BYTES = 64 * 1024  # a streamed download goes out in pieces of about this size


class _LocalCopies:
    """A small least-recently-used map of versioned key -> (expires at, value, size)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, cache_key: str):
        with self._lock:
            item = self._items.get(cache_key)
            if item is None:
                return None
            if item[0] < time.monotonic():
                self._drop(cache_key)
                return None
            self._items.move_to_end(cache_key)
            return item[1]

    def put(self, cache_key: str, value, size: int) -> None:
        if size > self.limit // 4:
            return
        with self._lock:
            if cache_key in self._items:
                self._drop(cache_key)
            self._items[cache_key] = (time.monotonic() + TIMEOUT, value, size)
            self.size += size
            while self.size > self.limit:
                self._drop(next(iter(self._items)))

    def _drop(self, cache_key: str) -> None:
        self.size -= self._items.pop(cache_key)[2]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


local = _LocalCopies(LOCAL_BYTES)


def _get(cache_key: str, size_of):
    """The value under ``cache_key``: this process's copy, else the shared cache's."""
    value = local.get(cache_key)
    if value is None:
        value = cache.get(cache_key)
        if value is not None:
            local.put(cache_key, value, size_of(value))
    return value


def _set(cache_key: str, value, size: int) -> None:
    cache.set(cache_key, value, TIMEOUT)
    local.put(cache_key, value, size)


def _new_version() -> str:
    # unique even under a frozen clock (a cleared cache must not bring back an old version
    # whose pages a process still holds)
    return f"{time.time_ns()}-{secrets.token_hex(4)}"


def version() -> str:
    value = cache.get(VERSION_KEY)
    if value is None:
        value = _new_version()
        cache.add(VERSION_KEY, value, timeout=None)
        value = cache.get(VERSION_KEY) or value
    return value


def _bump() -> None:
    cache.set(VERSION_KEY, _new_version(), timeout=None)


def invalidate() -> None:
    """Forget every cached public page, now and again when the transaction commits (a page
    rendered meanwhile from the old rows is dropped too)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump()
        return
    # once per (save)point: a designation saves a dozen rows inside one atomic block
    here = set(connection.savepoint_ids)
    if not any(func is _bump and sids == here for sids, func, *_rest in connection.run_on_commit):
        _bump()
        transaction.on_commit(_bump)


def _watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return meta is not None and (
        meta.app_label in WATCHED_APPS or (meta.app_label, meta.model_name) in WATCHED_MODELS
    )


def _on_change(sender, **kwargs):
    if kwargs.get("raw"):
        return
    if _watched(sender):
        invalidate()


def connect() -> None:
    """Called from CentersConfig.ready()."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid=f"centers.public_cache.{signal!r}")


def cacheable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def key(request, kind: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    today = timezone.localdate().isoformat()
    lang = translation.get_language() or ""
    return f"centers:public:{kind}:{version()}:{today}:{lang}:{path}"


def cached_page(view):
    """Cache a public HTML page (status 200) for visitors without a session."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not cacheable(request):
            return view(request, *args, **kwargs)
        page_key = key(request, "page")
        hit = _get(page_key, lambda value: len(value[1]))
        if hit is not None:
            content_type, body = hit
            response = HttpResponse(body.replace(CSRF_SLOT, get_token(request)), content_type)
            response["Vary"] = "Cookie, Accept-Language"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            body = _CSRF_RE.sub(lambda m: m.group(1) + CSRF_SLOT, response.content.decode())
            _set(page_key, (response["Content-Type"], body), len(body))
        return response

    return wrapped


def download(request, kind: str, produce, content_type: str, disposition: str):
    """The response of a public download. Cached: the stored body in one piece (with its
    length; nothing is queried). Otherwise ``produce()`` (called only then) is streamed in
    chunks and, for a visitor the cache serves, stored once complete."""
    if not cacheable(request):
        response = StreamingHttpResponse(_pieces(produce()), content_type=content_type)
    else:
        download_key = key(request, kind)
        body = _get(download_key, len)
        if body is not None:
            response = HttpResponse(body, content_type=content_type)
        else:
            response = StreamingHttpResponse(
                _storing(download_key, _pieces(produce())), content_type=content_type
            )
    response["Content-Disposition"] = disposition
    return response


def _pieces(chunks):
    """``chunks`` (a CSV line, a JSON row each) joined into pieces of about ``SEND_BYTES``:
    one write to the socket per piece instead of one per row."""
    pending, size = [], 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= SEND_BYTES:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)


def _storing(download_key: str, chunks):
    kept, size = [], 0
    for chunk in chunks:
        if kept is not None:
            size += len(chunk)
            if size <= STORED_DOWNLOAD_BYTES:
                kept.append(chunk)
            else:
                kept = None  # too big to store: the chunks so far are let go
        yield chunk
    if kept is not None:
        body = b"".join(kept)
        kept.clear()
        _set(download_key, body, size)
