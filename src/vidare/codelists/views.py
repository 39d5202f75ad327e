"""Web look-ups on the code lists, for forms (JSON; no personal data)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, JsonResponse
from django.views import View

from vidare.core.views import AccessMixin

from .services import MAX_SUGGEST_TEXT, MAX_SUGGESTIONS, suggest_occupations


class SuggestForm(forms.Form):
    q = forms.CharField(max_length=MAX_SUGGEST_TEXT, strip=True)
    top = forms.IntegerField(min_value=1, max_value=MAX_SUGGESTIONS, required=False)


class OccupationSuggestView(AccessMixin, View):
    """GET /yrken/forslag/?q=TEXT[&top=N] → {"text", "suggestions": [{ssyk, name, score}]}.

    For a form's occupation field: the caseworker types a title, picks a suggestion. Any
    logged-in user (a code-list look-up). Bad input: 400 with the API's error shape, naming the
    parameter.
    """

    http_method_names = ["get"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        form = SuggestForm(request.GET)
        if not form.is_valid():
            errors = [
                {"field": field, "code": error["code"] or "invalid",
                 "message": f"{field}: {error['message']}"}
                for field, items in form.errors.get_json_data().items() for error in items
            ]
            return JsonResponse({"errors": errors}, status=400)
        text = form.cleaned_data["q"]
        found = suggest_occupations(text, form.cleaned_data["top"] or 5)
        return JsonResponse(
            {"text": text,
             "suggestions": [{"ssyk": s.ssyk, "name": s.name, "score": s.score} for s in found]},
            json_dumps_params={"ensure_ascii": False},
        )
