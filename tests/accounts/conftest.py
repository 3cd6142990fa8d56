"""Fixtures of the My-tasks tests: a frozen clock with the 2026 working-day calendar, and
pages small enough that every provider has more tasks than a page shows."""

import datetime as dt

import pytest

from accounts import inbox
from accounts import views as account_views
from tests.conftest import SHANGHAI


@pytest.fixture
def clock(frozen_clock, calendar_years):
    calendar_years(2026)
    return frozen_clock


@pytest.fixture
def clock_nov9(clock):
    """The clock at Monday 2026-11-09 10:00, a week before TEST_NOW (Monday 2026-11-16)."""
    clock.move_to(dt.datetime(2026, 11, 9, 10, tzinfo=SHANGHAI))
    return clock


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(inbox, "HOME_TASKS", 1)
    monkeypatch.setattr(account_views, "TASK_PAGE", 2)
