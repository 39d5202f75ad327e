"""API v1: enrolments (inskrivningar) and exits (utskrivningar)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vidare.access.roles import Capability
from vidare.codelists.models import Occupation
from vidare.core.api_base import (
    ActionModelSerializer,
    ActionSerializer,
    CreateMixin,
    IdField,
    ListMixin,
    NaturalKeyField,
    RetrieveMixin,
    ScopedPrimaryKeyField,
    ScopedViewSet,
    UserField,
    special_allowed,
)
from vidare.organisation.models import Centre, Programme, TargetGroup
from vidare.people.models import Participant, Referral

from . import actions
from .models import Enrolment, EnrolmentStatus, Exit

if TYPE_CHECKING:
    from vidare.access.models import User


class EnrolmentSerializer(ActionModelSerializer):
    """An enrolment episode. Target groups that are a special category of personal data
    (TargetGroup.special_category: they reveal health, disability or origin) are left out of
    `target_groups` for a user without VIEW_SPECIAL_CATEGORY at the enrolment's centre,
    without a trace: the list then holds only the other groups. Target groups are given at
    enrolment only; an enrolment's groups are never changed afterwards."""

    participant = ScopedPrimaryKeyField(queryset=Participant.objects.all(), participant_path="")
    programme = NaturalKeyField(queryset=Programme.objects.all())
    centre = NaturalKeyField(queryset=Centre.objects.all())
    responsible = UserField(required=False, allow_null=True,
                            help_text=_("Username of the responsible job coach."))
    referral = ScopedPrimaryKeyField(
        queryset=Referral.objects.all(), participant_path="participant", required=False,
        allow_null=True,
        help_text=_("The referral this enrolment answers; it is marked enrolled."))
    target_groups = NaturalKeyField(
        queryset=TargetGroup.objects.all(), many=True, required=False,
        help_text=_("Codes of the target groups the person belongs to for this programme. "
                    "Groups that reveal health, disability or origin are listed only for "
                    "users who may see special categories of personal data at the "
                    "enrolment's centre; for others they are left out, and ignored on "
                    "input."))
    max_end_date = serializers.DateField(read_only=True)

    class Meta:
        model = Enrolment
        fields = ("id", "participant", "programme", "centre", "responsible", "referral",
                  "target_groups", "start_date", "end_date", "status", "is_re_enrolment",
                  "last_activity_on", "max_end_date", "created_at")
        read_only_fields = ("end_date", "status", "is_re_enrolment", "last_activity_on",
                            "created_at")

    def special_shown(self, instance: Enrolment) -> bool:
        """Whether a special-category target group is in the JSON (the access-log flag)."""
        return (self.special_visible(instance)
                and any(g.special_category for g in instance.target_groups.all()))

    def special_visible(self, instance: Enrolment) -> bool:
        return special_allowed(self.user, {instance.centre_id})

    def to_representation(self, instance: Enrolment) -> dict[str, Any]:
        data = super().to_representation(instance)
        if "target_groups" in data and not self.special_visible(instance):
            data["target_groups"] = [g.code for g in instance.target_groups.all()
                                     if not g.special_category]
        return data

    def perform_create(self, actor: User, data: dict[str, Any]) -> Enrolment:
        # Enrolling needs ENROL at the centre, which comes with VIEW_SPECIAL_CATEGORY in
        # every role that has it; should that ever change, nobody records what they may
        # not see.
        if not special_allowed(actor, {data["centre"].pk}):
            data["target_groups"] = [g for g in data.get("target_groups", [])
                                     if not g.special_category]
        return actions.enrol(actor=actor, **data)


class ExitSerializer(ActionModelSerializer):
    """The end of an enrolment. Created by POST /enrolments/{id}/exit/."""

    enrolment = serializers.PrimaryKeyRelatedField(read_only=True)
    occupation = NaturalKeyField(queryset=Occupation.objects.all(), required=False,
                                 allow_null=True,
                                 help_text=_("SSYK 2012 code (four digits) of the job."))
    no_information_shared = serializers.BooleanField(
        required=False, default=False,
        help_text=_("For an exit to arbetsformedlingen or forsakringskassan: true if nothing "
                    "about the person is passed on; otherwise their consent to the referral "
                    "(scope remiss_ut) must be valid on the exit date (no_valid_consent)."))

    class Meta:
        model = Exit
        fields = ("id", "enrolment", "exit_date", "reason", "employer_name", "occupation",
                  "extent_percent", "note", "no_information_shared", "created_at")
        read_only_fields = ("created_at",)

    def perform_create(self, actor: User, data: dict[str, Any]) -> Exit:
        return actions.record_exit(actor=actor, enrolment=self.context["enrolment"], **data)


class ReassignSerializer(ActionSerializer):
    responsible = UserField(allow_null=True,
                            help_text=_("Username of the new responsible job coach, or null."))

    def perform_create(self, actor: User, data: dict[str, Any]) -> Enrolment:
        return actions.reassign(actor=actor, enrolment=self.context["enrolment"], **data)


class PauseSerializer(ActionSerializer):
    status = serializers.ChoiceField(
        choices=[EnrolmentStatus.ACTIVE.value, EnrolmentStatus.PAUSED.value],
        help_text=_('"paused" while the person cannot take part (sick leave, parental leave); '
                    '"active" when they are back. An exited enrolment cannot change '
                    "(enrolment_exited)."))

    def perform_create(self, actor: User, data: dict[str, Any]) -> Enrolment:
        return actions.set_paused(actor=actor, enrolment=self.context["enrolment"],
                                  paused=data["status"] == EnrolmentStatus.PAUSED)


class EnrolmentQuerySerializer(serializers.Serializer):
    participant = IdField(required=False)
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices, required=False)
    centre = NaturalKeyField(queryset=Centre.objects.all(), required=False)
    responsible = serializers.CharField(
        required=False, help_text=_('"me", or the username of a member of staff.'))


class EnrolmentViewSet(ListMixin, RetrieveMixin, CreateMixin, ScopedViewSet):
    """Enrolment episodes. One participant may have many, one per programme at a time."""

    queryset = (Enrolment.objects.select_related("programme", "centre", "responsible")
                .prefetch_related("target_groups"))
    serializer_class = EnrolmentSerializer
    query_serializer_class = EnrolmentQuerySerializer
    write_capabilities = (Capability.ENROL, Capability.EXIT)

    def apply_filters(self, queryset: QuerySet[Enrolment],
                      params: dict[str, Any]) -> QuerySet[Enrolment]:
        responsible = params.pop("responsible", None)
        if responsible == "me":
            queryset = queryset.filter(responsible=self.request.user)
        elif responsible:
            queryset = queryset.filter(responsible__username=responsible)
        return queryset.filter(**params)

    @extend_schema(request=ExitSerializer, responses={201: ExitSerializer})
    @action(detail=True, methods=["post"], serializer_class=ExitSerializer)
    def exit(self, request: Request, pk: str | None = None) -> Response:
        """End the enrolment with a coded reason; ongoing interventions end the same day."""
        return self.run_action(request, ExitSerializer, enrolment=self.get_object())

    @extend_schema(request=ReassignSerializer, responses={200: EnrolmentSerializer})
    @action(detail=True, methods=["post"], serializer_class=ReassignSerializer)
    def reassign(self, request: Request, pk: str | None = None) -> Response:
        """Give the enrolment another responsible job coach."""
        return self.run_action(request, ReassignSerializer, response_class=EnrolmentSerializer,
                               response_status=status.HTTP_200_OK,
                               enrolment=self.get_object())

    @extend_schema(request=PauseSerializer, responses={200: EnrolmentSerializer})
    @action(detail=True, methods=["post"], serializer_class=PauseSerializer)
    def pause(self, request: Request, pk: str | None = None) -> Response:
        """Pause the enrolment, or make it active again."""
        return self.run_action(request, PauseSerializer, response_class=EnrolmentSerializer,
                               response_status=status.HTTP_200_OK,
                               enrolment=self.get_object())


class ExitQuerySerializer(serializers.Serializer):
    enrolment = IdField(required=False)


class ExitViewSet(ListMixin, RetrieveMixin, ScopedViewSet):
    """Exits, read-only: an exit is recorded by POST /enrolments/{id}/exit/."""

    queryset = Exit.objects.select_related("occupation", "enrolment")
    serializer_class = ExitSerializer
    query_serializer_class = ExitQuerySerializer
    participant_path = "enrolment__participant"
