"""Cached public pages (registry, publicity notices, exports), dropped whenever data change.

A page is cached only for a visitor who is not logged in and carries no session (no
messages, no objection receipt): everybody else gets it rendered. The cache key holds a
*version* that every save or delete of the data a public page shows replaces (notice
published, designation, rename, revocation, verified organization name, issued notice...),
at once and again when the transaction commits, so a change shows on the next request.
The cache is ``settings.CACHES["default"]``: Redis in production, the shared file cache in
the demo (the Celery worker invalidates the web process's pages), local memory in tests.

The per-visitor CSRF token in a cached page is swapped for the visitor's own on the way out.
"""

from __future__ import annotations

import hashlib
import re
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

VERSION_KEY = "centers:public:version"
TIMEOUT = 600  # seconds; the key also holds the date (notices open and close by the day)
CSRF_SLOT = "@@csrf@@"
_CSRF_RE = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{32,64}')
# apps whose rows public pages show, and the models of lower apps they show
WATCHED_APPS = {"centers", "documents"}
WATCHED_MODELS = {("accounts", "organization"), ("accounts", "city")}


def version() -> str:
    value = cache.get(VERSION_KEY)
    if value is None:
        value = str(time.time_ns())
        cache.add(VERSION_KEY, value, timeout=None)
        value = cache.get(VERSION_KEY) or value
    return value


def _bump() -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


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
        hit = cache.get(page_key)
        if hit is not None:
            content_type, body = hit
            response = HttpResponse(body.replace(CSRF_SLOT, get_token(request)), content_type)
            response["Vary"] = "Cookie, Accept-Language"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            body = _CSRF_RE.sub(lambda m: m.group(1) + CSRF_SLOT, response.content.decode())
            cache.set(page_key, (response["Content-Type"], body), TIMEOUT)
        return response

    return wrapped


def cached_download(request, kind: str, produce):
    """Bytes of a public download: from the cache, or ``produce()``'s chunks (streamed to the
    caller and stored when complete). Returns an iterator of bytes."""
    if not cacheable(request):
        yield from produce()
        return
    download_key = key(request, kind)
    body = cache.get(download_key)
    if body is not None:
        yield body
        return
    chunks = []
    for chunk in produce():
        chunks.append(chunk)
        yield chunk
    cache.set(download_key, b"".join(chunks), TIMEOUT)
