"""Fixtures of the My-tasks tests: a frozen clock with the 2026 working-day calendar, and
pages small enough that every provider has more tasks than a page shows."""

import pytest

from accounts import inbox
from accounts import views as account_views


@pytest.fixture
def clock(frozen_clock, calendar_years):
    calendar_years(2026)
    return frozen_clock


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(inbox, "HOME_TASKS", 1)
    monkeypatch.setattr(account_views, "TASK_PAGE", 2)
