"""Shared API pieces: one error shape for every 4xx, naming field, rule and message."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, str]]:
    """DRF error details -> [{"field", "code", "message"}]."""
    out: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if field is None else f"{field}.{key}"
            if key in ("non_field_errors", "__all__"):
                name = field or "__all__"
            out.extend(_flatten(value, name))
    elif isinstance(detail, list):
        for i, item in enumerate(detail):
            if isinstance(item, dict):
                out.extend(_flatten(item, f"{field}[{i}]" if field else str(i)))
            else:
                out.extend(_flatten(item, field))
    else:
        code = getattr(detail, "code", None) or "invalid"
        out.append({"field": field or "__all__", "code": str(code), "message": str(detail)})
    return out


def django_error_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail: dict[str, list[exceptions.ErrorDetail]] = {}
        for field, errors in exc.error_dict.items():
            detail[field] = [
                exceptions.ErrorDetail(" ".join(e.messages), code=e.code or "invalid")
                for e in errors
            ]
        return exceptions.ValidationError(detail)
    return exceptions.ValidationError(
        {"__all__": [exceptions.ErrorDetail(" ".join(e.messages), code=e.code or "invalid")
                     for e in exc.error_list]}
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = django_error_to_drf(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": _flatten(exc.detail)}
        response.status_code = status.HTTP_400_BAD_REQUEST
    else:
        detail = getattr(exc, "detail", str(exc))
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = {"errors": [{"field": "__all__", "code": str(code),
                                     "message": str(detail)}]}
    return response
