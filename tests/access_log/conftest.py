"""Fixtures for the access-log tests: log entries written at a chosen time, clients per role."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from unittest import mock

from django.utils import timezone

from vidare.access.models import AccessLogEntry


def local(*args: int) -> datetime:
    """A local (Europe/Stockholm) time, aware."""
    return timezone.make_aware(datetime(*args))


def write_entry(user: Any, participant: Any, at: datetime, *, allowed: bool = True,
                channel: str = "web", what: str = "participant_detail",
                special: bool = False, ip: str = "10.0.0.1") -> AccessLogEntry:
    """One entry as the application writes it, at time `at` (the log cannot be edited
    afterwards, so the clock is set while it is written)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        return AccessLogEntry.objects.create(
            user=user, username=user.username, participant=participant,
            participant_ref=str(participant.pk), what=what, channel=channel,
            special_category_shown=special, allowed=allowed, ip_address=ip)


