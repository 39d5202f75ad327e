"""django-axes glue: which address a login comes from, and what a locked-out user sees."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the nearest trusted proxy saw it.

    A proxy appends the address it received the request from to X-Forwarded-For, so only
    the right-most entry is known to be true; anything to its left is whatever the client
    sent and would let an attacker pick a fresh address for every guess.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = settings.VIDARE_TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if a.strip()]
    if forwarded and ("*" in trusted or remote in trusted):
        return forwarded[-1]
    return remote


def not_a_password_login(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """AXES_WHITELIST_CALLABLE: only password logins count. An OpenID Connect login carries
    no username (the provider throttles its own password guessing); counted, its failures
    would lock every OIDC login from a shared office address at once."""
    return not (credentials or {}).get("username")


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("Too many failed logins. Logging in to this account from your address is "
             "blocked for %(minutes)s minutes. Try again later, or ask your system "
             "administrator to unlock it.") % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page with the reason (or the API's error shape),
    status 429."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [{"field": "__all__", "code": "locked_out",
                                         "message": lockout_message()}]}, status=429)
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    return render(request, "access/login.html",
                  {"form": form, "locked_out_message": lockout_message(),
                   "next": request.POST.get("next", "")},
                  status=429)
