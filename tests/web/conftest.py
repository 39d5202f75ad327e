"""Fixtures for the web UI tests: a fixed 'today' and logged-in clients per role."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

KNOWN_DAY = date(2026, 6, 15)  # a Monday


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Freeze timezone.localdate() (used by actions and views alike) at KNOWN_DAY."""
    real = timezone.localdate

    def localdate(value: Any = None, timezone: Any = None) -> date:
        return KNOWN_DAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return KNOWN_DAY


@pytest.fixture
def as_user(world: Any):
    """as_user("coach_h") -> a test client logged in as that world user."""

    def login(key: str) -> Client:
        client = Client()
        client.force_login(world.users[key])
        return client

    return login
