"""Display in the active language: dates, punctuation and reference data with an English name.

The interface is Chinese first (``zh-hans``) with English as the second language. Official
documents keep their Chinese forms (``documents.formatting.cn_date``); pages use these helpers,
which follow the language of the request (``translation.get_language()``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.functional import lazy

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def is_chinese() -> bool:
    return (translation.get_language() or "zh-hans").lower().startswith("zh")


def in_chinese(text) -> str:
    """``text`` (a lazy msgid, a choice's label) in Chinese whatever the request's language:
    what services store (audit labels, notifications, documents) is the Chinese record."""
    with translation.override("zh-hans"):
        return str(text)


def local_date(day: dt.date | None) -> str:
    """2026年3月5日 in Chinese, 5 March 2026 in English; '' for no date."""
    if not day:
        return ""
    if isinstance(day, dt.datetime):
        from django.utils import timezone

        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    if is_chinese():
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def colon() -> str:
    """The colon after a label: full width in Chinese, ': ' in English."""
    return "：" if is_chinese() else ": "


def paren(text) -> str:
    """``text`` in brackets: （…） in Chinese, ' (…)' in English."""
    return f"（{text}）" if is_chinese() else f" ({text})"


def localized(chinese: str, english: str = "") -> str:
    """The English name in English when there is one, else the Chinese name."""
    if english and not is_chinese():
        return english
    return chinese


localized_lazy = lazy(localized, str)


def _with_unit(label, unit) -> str:
    return f"{label}{paren(unit)}"


# "研发投入（万元）" / "R&D spending (10,000 yuan)", read when shown (labels built at import).
with_unit = lazy(_with_unit, str)


def _interpolate(message, **values) -> str:
    return str(message) % {key: str(value) for key, value in values.items()}


# ``message % values`` read when shown: a form field's message built at import from a lazy
# msgid and a lazy label (``interpolate_lazy(_("Upload %(file)s."), file=label)``).
interpolate_lazy = lazy(_interpolate, str)


class LocalizedName:
    """Mixin of reference data with a Chinese ``name`` and an English ``name_en``. The models
    return ``localized_name`` from ``__str__``, so every choice list and template that shows
    the row shows the name in the active language."""

    @property
    def localized_name(self) -> str:
        return localized(self.name, self.name_en)

    @property
    def lacks_english(self) -> bool:
        """Shown in Chinese on an English page (mark it ``lang="zh-Hans"``)."""
        return not self.name_en and not is_chinese()


# Chinese punctuation and its English form (spaces included).
PUNCTUATION = {
    "（": " (", "）": ")", "，": ", ", "、": ", ", "；": "; ", "：": ": ", "「": "“", "」": "”",
    "。": ". ", "至": " to ", "？": "? ", "！": "! ",
}  # fmt: skip


def punct(mark: str) -> str:
    """A Chinese punctuation mark, or its English form on an English page."""
    return mark if is_chinese() else PUNCTUATION.get(mark, mark)
