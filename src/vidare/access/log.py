"""Writing the access log: one row per read of a participant's personal data."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from .auth.lockout import client_ip
from .models import AccessLogEntry

if TYPE_CHECKING:
    from vidare.people.models import Participant


def log_access(request: HttpRequest, participant: Participant, what: str, *,
               channel: str = "web", special_shown: bool = False) -> AccessLogEntry:
    user = request.user
    return AccessLogEntry.objects.create(
        user=user if user.is_authenticated else None,
        username=user.get_username() if user.is_authenticated else "",
        participant=participant,
        participant_ref=str(participant.pk),
        what=what[:100],
        channel=channel,
        special_category_shown=special_shown,
        ip_address=client_ip(request),
        request_id=getattr(request, "request_id", ""),
    )
