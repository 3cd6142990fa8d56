"""/healthz: JSON with the state of the database and the Celery broker.

200 when both answer, 503 otherwise. Used by load balancers and `make run` users.

The database is asked on every request (one ``SELECT 1`` on the request's connection). The
broker is asked at most once every ``HEALTHZ_BROKER_SECONDS`` per process (a connection to
Redis costs more than the rest of the request): its answer, good or bad, is remembered that
long for the same broker settings, so a broker that goes down shows as 503 within that time.
"""

import os
import threading
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from kombu import Connection


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return f"error: {exc.__class__.__name__}"


_clock = time.monotonic
_memo: dict = {}  # (url, options) -> (checked at, answer)
_memo_lock = threading.Lock()


def _broker() -> str:
    url = settings.CELERY_BROKER_URL
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    memo_key = (url, repr(sorted(options.items())))
    ttl = getattr(settings, "HEALTHZ_BROKER_SECONDS", 5)
    now = _clock()
    with _memo_lock:
        checked = _memo.get(memo_key)
    if checked is not None and now - checked[0] < ttl:
        return checked[1]
    answer = _ask_broker(url, options)
    with _memo_lock:
        _memo.clear()  # only the current settings' answer is kept
        _memo[memo_key] = (now, answer)
    return answer


def _ask_broker(url: str, options: dict) -> str:
    try:
        if url.startswith("filesystem:"):
            # The embedded broker is a pair of folders; it "answers" when they are writable.
            for key in ("data_folder_in", "data_folder_out"):
                folder = options.get(key)
                if folder and not os.access(folder, os.W_OK):
                    return f"error: {key} not writable"
            return "ok"
        with Connection(url, transport_options=options, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"


@never_cache
def healthz(request):
    checks = {"database": _database(), "broker": _broker()}
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )
