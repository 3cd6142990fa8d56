"""The real client address of a request, also behind a reverse proxy.

Settings (env-driven, config/settings.py):

- ``TRUSTED_PROXIES``: addresses or networks (``127.0.0.1``, ``10.0.0.0/8``) of the proxies in
  front of the application. ``X-Forwarded-For`` is read only when ``REMOTE_ADDR`` is one of
  them; the client is the right-most hop that is not a trusted proxy.
- ``TRUSTED_PROXY_COUNT``: used when ``TRUSTED_PROXIES`` is empty: the number of proxies in
  front of the application, each appending the address it saw to ``X-Forwarded-For``; the
  client is the hop that many places from the right of (hops + ``REMOTE_ADDR``).

Neither set (the default): ``REMOTE_ADDR``, and ``X-Forwarded-For`` is ignored. A hop that is
not an IP address (a forged or broken header) makes the answer fall back to ``REMOTE_ADDR``.

This one function feeds the login lockout (``AXES_CLIENT_IP_CALLABLE``), every rate limit,
the audit trail and the address stored with a public objection.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(value: str | None):
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def _forwarded_hops(request) -> list[str]:
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return [hop.strip() for hop in header.split(",") if hop.strip()]


def client_ip(request) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    trusted = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted:
        if not any(remote in net for net in trusted):
            return str(remote)
        candidate = remote
        for hop in reversed(_forwarded_hops(request)):
            address = _address(hop)
            if address is None:
                return str(remote)
            candidate = address
            if not any(address in net for net in trusted):
                break
        return str(candidate)
    if count > 0:
        chain = [*_forwarded_hops(request), str(remote)]
        address = _address(chain[max(len(chain) - 1 - count, 0)])
        return str(address) if address is not None else str(remote)
    return str(remote)
