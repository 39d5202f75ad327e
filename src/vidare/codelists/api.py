"""API v1: occupation look-ups (code lists; no personal data)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from vidare.core.api_base import VidareAutoSchema

from .services import MAX_SUGGEST_TEXT, MAX_SUGGESTIONS, suggest_occupations


class SuggestQuerySerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=MAX_SUGGEST_TEXT,
        help_text=_('A job title as people write it, e.g. "städare på hotell" or an ad '
                    "headline. Places, employers and words like \"sökes\" are ignored."),
    )
    top = serializers.IntegerField(
        min_value=1, max_value=MAX_SUGGESTIONS, default=5, required=False,
        help_text=_("How many suggestions, 1 to 20 (default 5)."),
    )


class SuggestionSerializer(serializers.Serializer):
    ssyk = serializers.CharField(help_text=_("SSYK 2012 unit group (JobTech's 4-digit code)."))
    name = serializers.CharField(help_text=_("The group's Swedish name."))
    score = serializers.FloatField(help_text=_("0 to 1; higher is a better match."))


class SuggestionsSerializer(serializers.Serializer):
    text = serializers.CharField()
    suggestions = SuggestionSerializer(many=True, help_text=_(
        "Best first. Empty only when the text holds no word at all (e.g. only numbers)."))


class OccupationViewSet(ViewSet):
    """Occupation code lists. Every logged-in user may use them: they hold no personal data."""

    schema = VidareAutoSchema()
    # Declares the 400 error shape in the OpenAPI document (query parameters are validated).
    query_serializer_class = SuggestQuerySerializer

    @extend_schema(
        operation_id="occupations_suggest",
        summary="Suggest SSYK occupations for a free-text job title",
        description=(
            "Ranks SSYK 2012 unit groups for a job title as caseworkers and employers write "
            "it, for a person to confirm. Swedish text handling: inflection, compounds "
            '("lagerarbetare"), misspellings, padding with employer and place ("Undersköterska '
            'till hemtjänsten i Borås").'
        ),
        parameters=[SuggestQuerySerializer],
        responses={200: SuggestionsSerializer},
    )
    @action(detail=False, methods=["get"], url_path="suggest")
    def suggest(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = SuggestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        text: str = query.validated_data["text"]
        found = suggest_occupations(text, query.validated_data["top"])
        return Response({
            "text": text,
            "suggestions": [{"ssyk": s.ssyk, "name": s.name, "score": s.score} for s in found],
        })
