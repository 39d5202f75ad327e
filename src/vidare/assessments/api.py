"""API v1: competence mapping (kartläggning). Each POST records a new version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vidare.access.roles import Capability
from vidare.codelists.choices import Adaptation
from vidare.codelists.models import (
    DrivingLicence,
    EducationLevel,
    Language,
    Municipality,
    Occupation,
)
from vidare.core.api_base import (
    ActionModelSerializer,
    CreateMixin,
    IdField,
    ListMixin,
    NaturalKeyField,
    RetrieveMixin,
    ScopedPrimaryKeyField,
    ScopedViewSet,
    participant_centre_ids,
    special_allowed,
)
from vidare.enrolments.models import Enrolment
from vidare.people.models import Participant

from .actions import record_assessment
from .models import Assessment, Barrier, WorkExperience

if TYPE_CHECKING:
    from vidare.access.models import User


class WorkExperienceSerializer(ActionModelSerializer):
    occupation = NaturalKeyField(queryset=Occupation.objects.all(),
                                 help_text=_('SSYK 2012 code at level 4, e.g. "5321".'))
    occupation_name = serializers.CharField(source="occupation.name", read_only=True)

    class Meta:
        model = WorkExperience
        fields = ("occupation", "occupation_name", "years", "in_sweden", "description")


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": Barrier.values}})
class BarrierListField(serializers.ListField):
    """Barrier codes; which codes exist is the action's rule (unknown_code)."""

    child = serializers.CharField()


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": Adaptation.values}})
class AdaptationListField(serializers.ListField):
    """Adaptation codes; which codes exist is the action's rule (unknown_code)."""

    child = serializers.CharField()


class AssessmentSerializer(ActionModelSerializer):
    """A version of the competence mapping. Without VIEW_SPECIAL_CATEGORY at the enrolment's
    centre, adaptations and barriers are left out of the JSON; on input they are ignored and
    the new version keeps those of the previous one, so nobody erases what they cannot see."""

    participant = ScopedPrimaryKeyField(queryset=Participant.objects.all(), participant_path="")
    enrolment = ScopedPrimaryKeyField(
        queryset=Enrolment.objects.all(), participant_path="participant", required=False,
        allow_null=True, help_text=_("Defaults to the participant's current enrolment."))
    assessed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    education_level = NaturalKeyField(queryset=EducationLevel.objects.all(), required=False,
                                      allow_null=True, help_text=_("SUN 2020 code, e.g. \"3\"."))
    other_languages = NaturalKeyField(queryset=Language.objects.all(), many=True,
                                      required=False, help_text=_("ISO 639 codes."))
    driving_licences = NaturalKeyField(queryset=DrivingLicence.objects.all(), many=True,
                                       required=False, help_text=_('Classes, e.g. ["B"].'))
    skills = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    barriers = BarrierListField(required=False)
    work_experiences = WorkExperienceSerializer(many=True, required=False)
    desired_occupations = NaturalKeyField(
        queryset=Occupation.objects.all(), many=True, required=False,
        help_text=_('SSYK 2012 codes at level 4 the person wants to work in, e.g. ["5321"].'))
    interest_fields = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False,
        help_text=_("Occupation fields (yrkesområden) as named in the SSYK code list."))
    home_municipality = NaturalKeyField(queryset=Municipality.objects.all(), required=False,
                                        allow_null=True,
                                        help_text=_('Municipality code, e.g. "1480".'))
    adaptation_needs = AdaptationListField(required=False)
    special_fields = Assessment.SPECIAL_CATEGORY_FIELDS

    class Meta:
        model = Assessment
        fields = ("id", "participant", "enrolment", "version", "assessed_on", "assessed_by",
                  "education_level", "education_abroad", "swedish_level", "other_languages",
                  "skills", "driving_licences", "work_capacity_percent", "interests", "goals",
                  "desired_occupations", "interest_fields", "available_from", "commute",
                  "home_municipality", "adaptations_needed", "adaptation_needs", "barriers",
                  "barriers_note", "work_experiences", "created_at")
        read_only_fields = ("version", "created_at")

    def special_shown(self, instance: Assessment) -> bool:
        if instance.enrolment is not None:
            return special_allowed(self.user, {instance.enrolment.centre_id})
        return special_allowed(self.user, participant_centre_ids(instance.participant))

    def perform_create(self, actor: User, data: dict[str, Any]) -> Assessment:
        participant = data.pop("participant")
        # Special-category values are carried over by the action for users who lack the
        # capability (record_assessment).
        enrolment = data.pop("enrolment", None)
        rows = [dict(row) for row in data.pop("work_experiences", [])]
        return record_assessment(actor=actor, participant=participant, enrolment=enrolment,
                                 work_experiences=rows, **data)


class AssessmentQuerySerializer(serializers.Serializer):
    participant = IdField(required=False)


class AssessmentViewSet(ListMixin, RetrieveMixin, CreateMixin, ScopedViewSet):
    """Assessments, newest version first. Retrieving one writes an access-log row that says
    whether special-category fields were shown."""

    queryset = (Assessment.objects
                .select_related("enrolment", "assessed_by", "education_level",
                                "home_municipality")
                .prefetch_related("other_languages", "driving_licences",
                                  "desired_occupations", "work_experiences__occupation"))
    serializer_class = AssessmentSerializer
    query_serializer_class = AssessmentQuerySerializer
    read_capability = Capability.VIEW_PARTICIPANTS
    write_capabilities = (Capability.ASSESS,)
