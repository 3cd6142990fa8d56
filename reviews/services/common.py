"""What the write path of the expert review shares: the refusal type, links, sizes."""

from __future__ import annotations

from django.urls import reverse

VIEW_APPLICATION = "applications.view_application"
VISIT_NAMES = {"inspection": "实地考察", "defense": "现场答辩"}


class ReviewError(Exception):
    """A review step that cannot happen now; ``messages`` are Chinese."""

    def __init__(self, messages):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("；".join(str(m) for m in self.messages))


def page_link(name, *args) -> str:
    return reverse(f"reviews:{name}", args=args)


def min_panel_size() -> int:
    from django.conf import settings

    return int(getattr(settings, "REVIEWS_MIN_PANEL_SIZE", 5))
