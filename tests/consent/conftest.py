"""Fixtures for the consent tests: clients per role (web and API), and a clock that sets the
day every action, view and scope check reads (timezone.localdate)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from tests.api.conftest import api  # noqa: F401 - fixture re-exported for these tests


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[date], date]:
    """clock(day): from now on timezone.localdate() is `day`. Starts at 2026-06-15."""
    real = timezone.localdate
    current = {"day": date(2026, 6, 15)}

    def localdate(value: Any = None, timezone: Any = None) -> date:
        return current["day"] if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)

    def set_day(day: date) -> date:
        current["day"] = day
        return day

    return set_day
