"""API v1: vacancies. Part of the employer register (VIEW_EMPLOYERS reads,
MANAGE_EMPLOYERS writes). A vacancy without occupation is accepted and says so:
`can_be_matched` is false ("not enough information to match")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from vidare.assessments.models import SwedishLevel
from vidare.codelists.choices import Adaptation
from vidare.codelists.models import DrivingLicence, Municipality, Occupation, OccupationName
from vidare.core.api_base import (
    ActionModelSerializer,
    CreateMixin,
    IdField,
    ListMixin,
    NaturalKeyField,
    PartialUpdateMixin,
)
from vidare.employers.api import RegisterViewSet, choice
from vidare.employers.models import Employer, RecruitmentNeed

from . import actions
from .models import Vacancy, VacancyKind, VacancyStatus

if TYPE_CHECKING:
    from vidare.access.models import User


class VacancySerializer(ActionModelSerializer):
    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.all(),
                                                  required=False, allow_null=True)
    need = serializers.PrimaryKeyRelatedField(queryset=RecruitmentNeed.objects.all(),
                                              required=False, allow_null=True)
    kind = choice(VacancyKind.choices, required=False)
    occupation = NaturalKeyField(
        queryset=Occupation.objects.all(), required=False, allow_null=True,
        help_text=_("SSYK 2012 code at level 4. Null: the vacancy cannot be matched."))
    occupation_name = NaturalKeyField(
        slug_field="concept_id", queryset=OccupationName.objects.all(), required=False,
        allow_null=True, help_text=_("JobTech concept id of the occupation name."))
    required_skills = serializers.ListField(child=serializers.CharField(max_length=100),
                                            required=False, max_length=50)
    merit_skills = serializers.ListField(child=serializers.CharField(max_length=100),
                                         required=False, max_length=50)
    driving_licences = NaturalKeyField(queryset=DrivingLicence.objects.all(), many=True,
                                       required=False,
                                       help_text=_("Licence classes, every one required."))
    min_swedish_level = choice(SwedishLevel.choices, required=False, allow_blank=True)
    municipality = NaturalKeyField(queryset=Municipality.objects.all(), required=False,
                                   allow_null=True, help_text=_("Kommunkod."))
    adaptations_offered = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False,
        help_text=_("Adaptation codes: %(codes)s.") % {"codes": ", ".join(Adaptation.values)})
    status = choice(VacancyStatus.choices, required=False)
    source = serializers.CharField(read_only=True,
                                   help_text=_("manual or jobsearch (imported)."))
    can_be_matched = serializers.BooleanField(
        read_only=True, help_text=_("False without occupation: not enough information to "
                                    "match."))
    occupation_field = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Vacancy
        fields = ("id", "employer", "need", "kind", "title", "description", "occupation",
                  "occupation_name", "occupation_field", "can_be_matched", "required_skills",
                  "merit_skills", "driving_licences", "own_car_required", "min_swedish_level",
                  "extent_percent", "extent_adaptable", "schedule", "municipality", "place",
                  "start_date", "deadline", "positions", "adaptations_offered", "open_to_all",
                  "status", "source", "external_id", "source_url", "imported_on",
                  "created_at", "updated_at")
        read_only_fields = ("external_id", "source_url", "imported_on",
                            "created_at", "updated_at")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Vacancy:
        return actions.create_vacancy(actor=actor, **data)

    def perform_update(self, actor: User, instance: Vacancy, data: dict[str, Any]) -> Vacancy:
        return actions.update_vacancy(actor=actor, vacancy=instance, **data)


class VacancyQuerySerializer(serializers.Serializer):
    kind = choice(VacancyKind.choices, required=False)
    status = choice(VacancyStatus.choices, required=False)
    occupation = NaturalKeyField(queryset=Occupation.objects.all(), required=False,
                                 help_text=_("SSYK code at any level: the groups under it."))
    municipality = NaturalKeyField(queryset=Municipality.objects.all(), required=False)
    employer = IdField(required=False)
    can_be_matched = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(required=False, max_length=100,
                              help_text=_("Words in the title, employer or place."))


class VacancyViewSet(ListMixin, CreateMixin, PartialUpdateMixin, RegisterViewSet):
    queryset = (Vacancy.objects.select_related("occupation", "occupation_name",
                                               "municipality")
                .prefetch_related("driving_licences").order_by("-created_at", "-id"))
    serializer_class = VacancySerializer
    query_serializer_class = VacancyQuerySerializer

    def apply_filters(self, queryset: models.QuerySet[Any],
                      params: dict[str, Any]) -> models.QuerySet[Any]:
        occupation = params.pop("occupation", None)
        if occupation is not None:
            queryset = queryset.filter(occupation__code__startswith=occupation.code)
        matchable = params.pop("can_be_matched", None)
        if matchable is not None:
            queryset = queryset.filter(occupation__isnull=not matchable)
        for word in params.pop("q", "").split():
            queryset = queryset.filter(Q(title__icontains=word)
                                       | Q(employer__name__icontains=word)
                                       | Q(place__icontains=word))
        return queryset.filter(**params)
