"""Fixed-window counters in the shared cache (Redis in production, see CACHES).

``hit(bucket, key, rate)`` counts one attempt and answers True when the attempt is over the
limit. Every form that must be throttled per client address uses
``audit.client_ip.client_ip(request)`` as (part of) the key.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from audit.client_ip import client_ip


def rate(setting: str, default: tuple[int, int]) -> tuple[int, int]:
    """(limit, window in seconds) from a setting."""
    return tuple(getattr(settings, setting, default))


def _cache_key(bucket: str, key: str) -> str:
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
    return f"throttle:{bucket}:{digest}"


def over(bucket: str, key: str, limit_window: tuple[int, int]) -> bool:
    """True when ``bucket``/``key`` has already reached its limit (counts nothing)."""
    return (cache.get(_cache_key(bucket, key)) or 0) >= limit_window[0]


def hit(bucket: str, key: str, limit_window: tuple[int, int]) -> bool:
    limit, window = limit_window
    cache_key = _cache_key(bucket, key)
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count > limit


def hit_client(request, bucket: str, limit_window: tuple[int, int]) -> bool:
    """Count one attempt of this request's real client address in ``bucket``."""
    return hit(bucket, client_ip(request) or "unknown", limit_window)


def minutes(limit_window: tuple[int, int]) -> int:
    return max(limit_window[1] // 60, 1)
