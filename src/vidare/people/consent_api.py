"""API v1: the consent register (samtycken). Listing and reading follow the participant's scope;
recording and withdrawing need EDIT_PARTICIPANT at one of the person's centres (the actions in
people/consent.py check it), so a referring social-assistance officer may read but not write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vidare.access.roles import Capability
from vidare.core.api_base import (
    ActionModelSerializer,
    ActionSerializer,
    CreateMixin,
    IdField,
    ListMixin,
    RetrieveMixin,
    ScopedPrimaryKeyField,
    ScopedViewSet,
)

from . import consent as actions
from .models import Consent, Participant

if TYPE_CHECKING:
    from vidare.access.models import User


class ConsentSerializer(ActionModelSerializer):
    participant = ScopedPrimaryKeyField(queryset=Participant.objects.all(), participant_path="")
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = serializers.SerializerMethodField(
        help_text=_("The state today: valid, not_yet_valid, expired or withdrawn."))

    class Meta:
        model = Consent
        fields = ("id", "participant", "party", "scope", "given_on", "expires_on",
                  "withdrawn_on", "status", "note", "recorded_by", "created_at")
        read_only_fields = ("withdrawn_on", "created_at")

    @extend_schema_field(serializers.ChoiceField(choices=list(actions.STATUS_LABELS)))
    def get_status(self, consent: Consent) -> str:
        return actions.status_on(consent, timezone.localdate())

    def perform_create(self, actor: User, data: dict[str, Any]) -> Consent:
        return actions.grant_consent(actor=actor, **data)


class ConsentWithdrawSerializer(ActionSerializer):
    withdrawn_on = serializers.DateField(
        help_text=_("The day the person withdrew the consent; from this day it no longer "
                    "holds."))

    def perform_create(self, actor: User, data: dict[str, Any]) -> Consent:
        return actions.withdraw_consent(actor=actor, consent=self.context["consent"], **data)


class ConsentQuerySerializer(serializers.Serializer):
    participant = IdField(required=False)


class ConsentViewSet(ListMixin, RetrieveMixin, CreateMixin, ScopedViewSet):
    """Consents to share information with another party for one purpose. A consent is valid
    from given_on up to and including expires_on, and not from withdrawn_on."""

    queryset = Consent.objects.select_related("recorded_by")
    serializer_class = ConsentSerializer
    query_serializer_class = ConsentQuerySerializer
    write_capabilities = (Capability.EDIT_PARTICIPANT,)

    @extend_schema(request=ConsentWithdrawSerializer, responses={200: ConsentSerializer})
    @action(detail=True, methods=["post"], serializer_class=ConsentWithdrawSerializer)
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Record that the person withdrew the consent."""
        return self.run_action(request, ConsentWithdrawSerializer,
                               response_class=ConsentSerializer,
                               response_status=status.HTTP_200_OK, consent=self.get_object())
