"""Every page and API call needs a session that has passed the second factor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .otp import second_factor_done, second_factor_url

# The pages that lead to the second factor, or away from the account.
EXEMPT_VIEWS = frozenset({
    "access:login", "access:logout", "access:otp_verify", "access:otp_enrol",
    "access:oidc_start", "access:oidc_callback", "set_language",
})


class SecondFactorMiddleware:
    """After OTPMiddleware: a logged-in user whose session has not passed the second factor
    is sent to enter a code (or to set up the app); the API answers 403. Static files are
    served before this runs; unknown URLs never reach a view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any],
                     view_args: Any, view_kwargs: Any) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        if second_factor_done(request):
            return self.password_change(request)
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"errors": [{
                "field": "__all__", "code": "second_factor_required",
                "message": _("Log in with your second factor (the code from your "
                             "authenticator app) first."),
            }]}, status=403)
        return redirect(second_factor_url(user, request.get_full_path()))

    @staticmethod
    def password_change(request: HttpRequest) -> HttpResponse | None:
        """A password an administrator set is changed before anything else is done."""
        if not getattr(request.user, "password_change_required", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS | {"access:password_change"}:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"errors": [{
                "field": "__all__", "code": "password_change_required",
                "message": _("Change the temporary password your administrator gave you "
                             "first (Your account → Change password)."),
            }]}, status=403)
        return redirect("access:password_change")
