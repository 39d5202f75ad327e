"""API v1: the employer register (employers with contacts and agreements, activities,
recruitment needs) and placements.

The register is municipality-wide and holds no participant: reading needs VIEW_EMPLOYERS,
writing MANAGE_EMPLOYERS; without them every call is a 403. Placements name a participant:
they are scoped like every participant resource (core.api_base.ScopedViewSet): listed and
read only for participants the user may see, a participant out of scope in the body reads
as unknown (400 does_not_exist), every read is access-logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vidare.access.roles import Capability
from vidare.codelists.models import Municipality, Occupation
from vidare.core.actions import errors
from vidare.core.api_base import (
    ActionModelSerializer,
    CreateMixin,
    IdField,
    ListMixin,
    NaturalKeyField,
    PartialUpdateMixin,
    RetrieveMixin,
    ScopedPrimaryKeyField,
    ScopedViewSet,
    UnscopedViewSet,
    UserField,
)
from vidare.people.models import Participant

from . import actions
from .models import (
    Activity,
    ActivityKind,
    Agreement,
    AgreementKind,
    Employer,
    EmployerContact,
    EmployerStatus,
    NeedStatus,
    Placement,
    PlacementKind,
    RecruitmentNeed,
)

if TYPE_CHECKING:
    from vidare.access.models import User


# --- the register's base ------------------------------------------------------------------------


def choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    """A ChoiceField documented with its codes inline: the field names of the register
    ("kind", "status") are shared with other resources, whose code sets differ."""
    values = [value for value, _label in choices]
    if kwargs.get("allow_blank"):
        values.append("")

    @extend_schema_field({"type": "string", "enum": values})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)



class RegisterViewSet(UnscopedViewSet):
    """The register's viewsets: reads need VIEW_EMPLOYERS, writes MANAGE_EMPLOYERS."""

    read_capabilities = (Capability.VIEW_EMPLOYERS,)
    write_capabilities = (Capability.MANAGE_EMPLOYERS,)


# --- employers ----------------------------------------------------------------------------------


class ContactSerializer(ActionModelSerializer):
    class Meta:
        model = EmployerContact
        fields = ("id", "name", "role", "phone", "email")

    def perform_create(self, actor: User, data: dict[str, Any]) -> EmployerContact:
        return actions.add_contact(actor=actor, employer=self.context["employer"], **data)


class AgreementSerializer(ActionModelSerializer):
    kind = choice(AgreementKind.choices)

    class Meta:
        model = Agreement
        fields = ("id", "kind", "starts_on", "ends_on", "note")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Agreement:
        return actions.add_agreement(actor=actor, employer=self.context["employer"], **data)


class EmployerSerializer(ActionModelSerializer):
    # Free text in: the action checks length and check digit and names the rule.
    organisation_number = serializers.CharField(
        max_length=20, help_text=_("10 digits; stored as NNNNNN-NNNN. Rule codes: "
                                   "invalid_format, wrong_length, checksum, duplicate."))
    sni_code = serializers.CharField(
        max_length=10, required=False, allow_blank=True,
        help_text=_("SNI 2007: a division (2 digits) or a section letter."))
    municipality = NaturalKeyField(queryset=Municipality.objects.all(), required=False,
                                   allow_null=True, help_text=_("Kommunkod, e.g. \"1490\"."))
    responsible = UserField(required=False, allow_null=True,
                            help_text=_("The job broker who owns the relation (username)."))
    status = choice(EmployerStatus.choices, required=False)
    contacts = ContactSerializer(many=True, read_only=True)
    agreements = AgreementSerializer(many=True, read_only=True)

    class Meta:
        model = Employer
        fields = ("id", "name", "organisation_number", "sni_code", "sni_name", "address",
                  "postal_code", "city", "municipality", "website", "notes", "responsible",
                  "status", "contacts", "agreements", "created_at", "updated_at")
        read_only_fields = ("sni_name", "created_at", "updated_at")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Employer:
        return actions.create_employer(actor=actor, **data)

    def perform_update(self, actor: User, instance: Employer, data: dict[str, Any]) -> Employer:
        return actions.update_employer(actor=actor, employer=instance, **data)


class EmployerQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100,
                              help_text=_("Part of the name, city or organisationsnummer."))
    responsible = UserField(required=False)
    status = choice(EmployerStatus.choices, required=False)


class EmployerViewSet(ListMixin, CreateMixin, PartialUpdateMixin, RegisterViewSet):
    queryset = Employer.objects.select_related("municipality", "responsible").prefetch_related(
        "contacts", "agreements")
    serializer_class = EmployerSerializer
    query_serializer_class = EmployerQuerySerializer

    def apply_filters(self, queryset: models.QuerySet[Any],
                      params: dict[str, Any]) -> models.QuerySet[Any]:
        from .forms import search_employers

        q = params.pop("q", "")
        return search_employers(queryset.filter(**params), q)

    @extend_schema(request=ContactSerializer, responses={201: ContactSerializer})
    @action(detail=True, methods=["post"])
    def contacts(self, request: Request, pk: str | None = None) -> Response:
        """Add a contact person."""
        return self.run_action(request, ContactSerializer, employer=self.get_object())

    @extend_schema(request=AgreementSerializer, responses={201: AgreementSerializer})
    @action(detail=True, methods=["post"])
    def agreements(self, request: Request, pk: str | None = None) -> Response:
        """Register an agreement (praktikavtal, lönebidrag, ...)."""
        return self.run_action(request, AgreementSerializer, employer=self.get_object())


# --- activities ---------------------------------------------------------------------------------


class ActivitySerializer(ActionModelSerializer):
    """POST logs an activity (by = the caller); PATCH changes it, e.g.
    {"follow_up_done": true}. The employer of an activity cannot be changed."""

    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.all())
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    kind = choice(ActivityKind.choices)
    follow_up_done = serializers.BooleanField(
        required=False, help_text=_("Only when changing an activity."))

    class Meta:
        model = Activity
        fields = ("id", "employer", "kind", "occurred_on", "by", "follow_up_on",
                  "follow_up_done", "notes", "created_at", "updated_at")
        read_only_fields = ("created_at", "updated_at")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Activity:
        if data.pop("follow_up_done", False):
            raise errors(follow_up_done=(_("A new activity's follow-up is not done yet."),
                                         "not_on_create"))
        return actions.log_activity(actor=actor, **data)

    def perform_update(self, actor: User, instance: Activity, data: dict[str, Any]) -> Activity:
        same_employer(instance, data)
        return actions.update_activity(actor=actor, activity=instance, **data)


def same_employer(instance: Any, data: dict[str, Any]) -> None:
    employer = data.pop("employer", instance.employer)
    if employer.pk != instance.employer_id:
        raise errors(employer=(_("The employer cannot be changed."), "read_only"))


class ActivityQuerySerializer(serializers.Serializer):
    employer = IdField(required=False)
    by = UserField(required=False)
    follow_up_due = serializers.BooleanField(
        required=False, allow_null=True, default=None,
        help_text=_("true: follow-ups due today or earlier and not done."))


class ActivityViewSet(ListMixin, CreateMixin, PartialUpdateMixin, RegisterViewSet):
    """The activity log: visits, calls, business lunches, events, e-mails, with follow-up
    dates. PATCH {"follow_up_done": true} marks a follow-up as done."""

    queryset = Activity.objects.select_related("by")
    serializer_class = ActivitySerializer
    query_serializer_class = ActivityQuerySerializer

    def apply_filters(self, queryset: models.QuerySet[Any],
                      params: dict[str, Any]) -> models.QuerySet[Any]:
        due = params.pop("follow_up_due", None)
        if due is True:
            queryset = queryset.filter(follow_up_done=False,
                                       follow_up_on__lte=timezone.localdate())
        elif due is False:
            queryset = queryset.exclude(follow_up_done=False,
                                        follow_up_on__lte=timezone.localdate())
        return queryset.filter(**params)


# --- recruitment needs --------------------------------------------------------------------------


class NeedSerializer(ActionModelSerializer):
    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.all())
    occupation = NaturalKeyField(queryset=Occupation.objects.all(),
                                 help_text=_("SSYK 2012 code at level 4, e.g. \"7231\"."))
    status = choice(NeedStatus.choices, required=False)

    class Meta:
        model = RecruitmentNeed
        fields = ("id", "employer", "occupation", "number", "needed_from", "needed_until",
                  "terms", "can_adapt", "takes_interns", "status", "note", "created_at",
                  "updated_at")
        read_only_fields = ("created_at", "updated_at")

    def perform_create(self, actor: User, data: dict[str, Any]) -> RecruitmentNeed:
        return actions.add_need(actor=actor, **data)

    def perform_update(self, actor: User, instance: RecruitmentNeed,
                       data: dict[str, Any]) -> RecruitmentNeed:
        same_employer(instance, data)
        return actions.update_need(actor=actor, need=instance, **data)


class NeedQuerySerializer(serializers.Serializer):
    employer = IdField(required=False)
    occupation = NaturalKeyField(queryset=Occupation.objects.all(), required=False)
    status = choice(NeedStatus.choices, required=False)


class NeedViewSet(ListMixin, CreateMixin, PartialUpdateMixin, RegisterViewSet):
    queryset = RecruitmentNeed.objects.select_related("occupation")
    serializer_class = NeedSerializer
    query_serializer_class = NeedQuerySerializer


# --- placements ---------------------------------------------------------------------------------


class PlacementSerializer(ActionModelSerializer):
    participant = ScopedPrimaryKeyField(queryset=Participant.objects.all(), participant_path="")
    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.all())
    kind = choice(PlacementKind.choices)

    class Meta:
        model = Placement
        fields = ("id", "employer", "participant", "vacancy", "kind", "starts_on", "ends_on",
                  "note", "created_at", "updated_at")
        read_only_fields = ("created_at", "updated_at")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Placement:
        return actions.record_placement(actor=actor, **data)


class PlacementQuerySerializer(serializers.Serializer):
    employer = IdField(required=False)
    participant = IdField(required=False)
    vacancy = IdField(required=False)


class PlacementViewSet(ListMixin, RetrieveMixin, CreateMixin, ScopedViewSet):
    """Participants placed with employers. Only participants the user may see."""

    queryset = Placement.objects.all()
    serializer_class = PlacementSerializer
    participant_path = "participant"
    read_capability = Capability.VIEW_EMPLOYERS
    write_capabilities = actions.PLACEMENT_CAPABILITIES
    unlisted_protected = True
    query_serializer_class = PlacementQuerySerializer
