"""API v1: participants, referrals and referral contacts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vidare.access.log import log_access
from vidare.access.roles import Capability
from vidare.codelists.models import Language
from vidare.core.api_base import (
    ActionModelSerializer,
    ActionSerializer,
    CreateMixin,
    IdField,
    ListMixin,
    NaturalKeyField,
    PartialUpdateMixin,
    RetrieveMixin,
    ScopedPrimaryKeyField,
    ScopedViewSet,
    UserField,
    participant_centre_ids,
    special_allowed,
    with_prefix,
)
from vidare.core.identity import IdentityKind
from vidare.enrolments.models import Enrolment
from vidare.organisation.models import Centre, Programme

from . import actions
from .models import (
    Participant,
    Referral,
    ReferralCloseReason,
    ReferralContact,
    ReferralStatus,
)

if TYPE_CHECKING:
    from vidare.access.models import User

CONTACT_FIELDS = ("address", "postal_code", "city", "phone", "email")


# --- referrals --------------------------------------------------------------------------------


class ReferralContactSerializer(ActionModelSerializer):
    staff = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ReferralContact
        fields = ("id", "kind", "occurred_on", "channel", "outcome", "note", "staff",
                  "created_at")
        read_only_fields = ("created_at",)

    def perform_create(self, actor: User, data: dict[str, Any]) -> ReferralContact:
        return actions.record_contact(actor=actor, referral=self.context["referral"], **data)


class NestedReferralSerializer(ActionModelSerializer):
    """A referral as given when registering a participant."""

    centre = NaturalKeyField(queryset=Centre.objects.all())
    programme = NaturalKeyField(queryset=Programme.objects.all(), required=False,
                                allow_null=True)
    referrer_user = UserField(required=False, allow_null=True)

    class Meta:
        model = Referral
        fields = ("source", "centre", "programme", "referred_on", "referrer_name",
                  "referrer_organisation", "referrer_contact", "referrer_user",
                  "outreach_area", "reason")


class ReferralSerializer(NestedReferralSerializer):
    participant = ScopedPrimaryKeyField(queryset=Participant.objects.all(), participant_path="")
    contacts = ReferralContactSerializer(many=True, read_only=True)

    class Meta(NestedReferralSerializer.Meta):
        fields = ("id", "participant", *NestedReferralSerializer.Meta.fields, "status",
                  "closed_on", "close_reason", "close_note", "contacts", "created_at")
        read_only_fields = ("status", "closed_on", "close_reason", "close_note", "created_at")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Referral:
        return actions.create_referral(actor=actor, **data)


class ReferralCloseSerializer(ActionSerializer):
    closed_on = serializers.DateField()
    close_reason = serializers.ChoiceField(choices=ReferralCloseReason.choices)
    close_note = serializers.CharField(required=False, allow_blank=True, default="")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Referral:
        return actions.close_referral(actor=actor, referral=self.context["referral"], **data)


class ReferralQuerySerializer(serializers.Serializer):
    participant = IdField(required=False)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)


class ReferralViewSet(ListMixin, RetrieveMixin, CreateMixin, ScopedViewSet):
    """Referrals (remisser). A new participant comes with their first referral through
    POST /participants/; this endpoint adds referrals for people already registered."""

    queryset = (Referral.objects.select_related("centre", "programme", "referrer_user")
                .prefetch_related(Prefetch("contacts",
                                           ReferralContact.objects.select_related("staff"))))
    serializer_class = ReferralSerializer
    query_serializer_class = ReferralQuerySerializer
    write_capabilities = (Capability.MANAGE_REFERRALS, Capability.REFER)

    def get_queryset(self) -> QuerySet[Referral]:
        queryset = super().get_queryset()
        user = self.request.user
        if user.is_authenticated and not user.can(Capability.VIEW_PARTICIPANTS):
            # The referring officer: the referrals they made, not the centre's others.
            queryset = queryset.filter(referrer_user=user)
        return queryset

    @extend_schema(request=ReferralContactSerializer,
                   responses={201: ReferralContactSerializer})
    @action(detail=True, methods=["post"], serializer_class=ReferralContactSerializer)
    def contacts(self, request: Request, pk: str | None = None) -> Response:
        """Record a contact attempt or meeting on an open referral."""
        return self.run_action(request, ReferralContactSerializer, referral=self.get_object())

    @extend_schema(request=ReferralCloseSerializer, responses={200: ReferralSerializer})
    @action(detail=True, methods=["post"], serializer_class=ReferralCloseSerializer)
    def close(self, request: Request, pk: str | None = None) -> Response:
        """Close an open referral that will not lead to enrolment, with a coded reason."""
        return self.run_action(request, ReferralCloseSerializer,
                               response_class=ReferralSerializer,
                               response_status=status.HTTP_200_OK, referral=self.get_object())


# --- participants -----------------------------------------------------------------------------


class ParticipantListSerializer(ActionModelSerializer):
    """A row of the participant list: who, not their details."""

    class Meta:
        model = Participant
        fields = ("id", "identity_kind", "identity_number", "first_name", "last_name",
                  "birth_date", "birth_year", "protected_identity")
        read_only_fields = fields


class ParticipantSerializer(ActionModelSerializer):
    """A participant. Without VIEW_SPECIAL_CATEGORY at one of the participant's centres,
    birth_region is left out (and ignored on input); with protected identity, address and
    contact details are always left out."""

    languages = NaturalKeyField(queryset=Language.objects.all(), many=True, required=False,
                                help_text=_("ISO 639 codes, e.g. [\"sv\", \"ar\", \"so\"]."))
    special_fields = ("birth_region",)

    class Meta:
        model = Participant
        fields = ("id", "identity_kind", "identity_number", "first_name", "last_name",
                  "birth_date", "birth_year", "gender", "protected_identity", *CONTACT_FIELDS,
                  "adults_in_household", "children_in_household", "languages",
                  "interpreter_needed", "birth_region", "created_at", "updated_at")
        read_only_fields = ("identity_kind", "identity_number", "birth_year", "created_at",
                            "updated_at")

    def special_shown(self, instance: Participant) -> bool:
        return special_allowed(self.user, participant_centre_ids(instance))

    def contact_shown(self, instance: Participant) -> bool:
        """A protected identity's contact details only for the staff named for it."""
        return (not instance.protected_identity
                or instance.protected_identity_staff.filter(pk=self.user.pk).exists())

    def hidden_fields(self, instance: Participant) -> set[str]:
        hidden = super().hidden_fields(instance)
        if not self.contact_shown(instance):
            hidden |= set(CONTACT_FIELDS)
        return hidden

    def perform_update(self, actor: User, instance: Participant,
                       data: dict[str, Any]) -> Participant:
        if not self.special_shown(instance):
            data.pop("birth_region", None)
        if not self.contact_shown(instance):
            for name in CONTACT_FIELDS:  # nobody changes what they may not see
                data.pop(name, None)
        return actions.update_participant(actor=actor, participant=instance, **data)


class ParticipantCreateSerializer(ParticipantSerializer):
    """Register a participant together with the referral that brings them (one transaction)."""

    identity_number = serializers.CharField(
        max_length=20, help_text=_("Personnummer or samordningsnummer (10 or 12 digits, with or "
                                   "without '-'), or a reservnummer such as R2026-000123."))
    identity_kind = serializers.ChoiceField(
        choices=[(k.value, k.value) for k in IdentityKind], required=False,
        help_text=_("The kind expected; another kind is refused (kind_mismatch)."))
    referral = NestedReferralSerializer(write_only=True)

    class Meta(ParticipantSerializer.Meta):
        fields = (*ParticipantSerializer.Meta.fields, "referral")
        read_only_fields = ("birth_year", "created_at", "updated_at")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Participant:
        referral = dict(data.pop("referral"))
        if not special_allowed(actor, {referral["centre"].pk}):
            data.pop("birth_region", None)
        try:
            return actions.register_participant(actor=actor, referral=referral, **data)
        except DjangoValidationError as exc:
            renamed = with_prefix(exc, "referral", actions.REFERRAL_FIELDS)
            if renamed is exc:
                raise
            raise renamed from exc


class ParticipantQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True,
        help_text=_("Words of the name, or (part of) the identity number with or without '-'."))


def search_participants(queryset: QuerySet[Participant], text: str) -> QuerySet[Participant]:
    """Every word must match: a word with a digit matches the identity number, others the
    first or last name."""
    for word in text.split():
        if any(c.isdigit() for c in word):
            digits = word.replace("-", "").replace("+", "")
            queryset = queryset.filter(Q(identity_number__icontains=digits)
                                       | Q(identity_number__iexact=word))
        else:
            queryset = queryset.filter(Q(first_name__icontains=word)
                                       | Q(last_name__icontains=word))
    return queryset


class ParticipantViewSet(ListMixin, RetrieveMixin, CreateMixin, PartialUpdateMixin,
                         ScopedViewSet):
    """Participants (deltagare). Listing writes one access-log row per participant returned
    (what="api:participant_list"); retrieving writes one (what="api:participant")."""

    queryset = Participant.objects.prefetch_related(
        "languages",
        Prefetch("enrolments", Enrolment.objects.only("id", "participant_id", "centre_id")),
        Prefetch("referrals", Referral.objects.only("id", "participant_id", "centre_id")),
    )
    participant_path = ""
    unlisted_protected = True
    query_serializer_class = ParticipantQuerySerializer
    write_capabilities = (Capability.REGISTER_PARTICIPANT, Capability.EDIT_PARTICIPANT,
                          Capability.REFER)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return {"list": ParticipantListSerializer,
                "create": ParticipantCreateSerializer}.get(self.action, ParticipantSerializer)

    def apply_filters(self, queryset: QuerySet[Participant],
                      params: dict[str, Any]) -> QuerySet[Participant]:
        return search_participants(queryset, params.get("q", ""))

    def log_list(self, request: Request, page: list[Participant]) -> None:
        for participant in page:
            log_access(request, participant, "api:participant_list", channel="api")
