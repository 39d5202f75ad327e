from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from vidare.access.roles import Capability


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    caps: set[str] = set()
    if user is not None and user.is_authenticated:
        caps = {c.value for c in Capability if user.can(c)}
    return {"municipality_name": settings.VIDARE_MUNICIPALITY_NAME, "user_caps": caps}
