"""Walking the project's URL patterns (shared by the hostile-query and permission-matrix tests)."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver


def walk(patterns=None, prefix="", namespace=""):
    """(route, URL name) for every pattern of the project."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), namespace + (p.name or "")


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def params_of(route: str) -> list[str]:
    return [m.group(2) or m.group(3) for m in PARAM.finditer(route)]


def fill(route: str, values: dict) -> str:
    def sub(m):
        return str(values[m.group(2) or m.group(3)])

    path = PARAM.sub(sub, route).lstrip("^").rstrip("$").replace("\\", "")
    return "/" + path
