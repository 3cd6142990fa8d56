"""Chinese forms of dates and document numbers in official documents (GB/T 9704)."""

from __future__ import annotations

import datetime as dt


def cn_date(day: dt.date) -> str:
    """2026年3月5日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
