"""Error pages: JSON in the API's error shape under /api/, translated HTML elsewhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _answer(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [{"field": "__all__", "code": code,
                                         "message": message}]}, status=status)
    return render(request, "vidare/error.html", {"status": status, "message": message},
                  status=status)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 404, "not_found", _("The page or record was not found, or you "
                                                "do not have access to it."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 403, "permission_denied", _("Your role does not allow this."))


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, 400, "bad_request", _("The request could not be understood."))


def server_error(request: HttpRequest) -> HttpResponse:
    # No template context processors here: the error may come from them.
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [{"field": "__all__", "code": "server_error",
                                         "message": _("Something went wrong on our side. "
                                                      "The error has been logged.")}]},
                            status=500)
    return HttpResponse(_("Something went wrong on our side. The error has been logged."),
                        status=500, content_type="text/plain; charset=utf-8")
