"""Sections that apps above centers add to the center page (bound at start-up, as the inbox
providers are): a section is ``(request, center) -> str`` (rendered HTML) or ``""``.

The three-year evaluation (evaluations, which may import centers but not the other way round)
registers its history of the center here in its ``AppConfig.ready``."""

from __future__ import annotations

_sections: dict[str, object] = {}


def register(section) -> None:
    _sections[f"{section.__module__}.{section.__qualname__}"] = section


def render_for(request, center) -> list[str]:
    return [html for html in (section(request, center) for section in _sections.values()) if html]
