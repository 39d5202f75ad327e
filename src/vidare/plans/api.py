"""API v1: plans (handlingsplaner) with goals, interventions (insatser) and attendance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vidare.access.roles import Capability
from vidare.core.api_base import (
    ActionModelSerializer,
    CreateMixin,
    IdField,
    ListMixin,
    PartialUpdateMixin,
    RetrieveMixin,
    ScopedPrimaryKeyField,
    ScopedViewSet,
)
from vidare.core.dates import week_start
from vidare.enrolments.models import Enrolment

from . import actions
from .models import Attendance, Intervention, Plan, PlanGoal

if TYPE_CHECKING:
    from vidare.access.models import User


# --- plans and goals --------------------------------------------------------------------------


class PlanGoalSerializer(ActionModelSerializer):
    class Meta:
        model = PlanGoal
        fields = ("id", "kind", "description", "target_date", "achieved_on")

    def perform_create(self, actor: User, data: dict[str, Any]) -> PlanGoal:
        return actions.save_goal(actor=actor, plan=self.context["plan"], **data)

    def perform_update(self, actor: User, instance: PlanGoal, data: dict[str, Any]) -> PlanGoal:
        return actions.save_goal(actor=actor, plan=instance.plan, goal=instance, **data)


class PlanSerializer(ActionModelSerializer):
    """The plan of one enrolment; goals are added and changed through /plans/{id}/goals/."""

    enrolment = ScopedPrimaryKeyField(queryset=Enrolment.objects.all(),
                                      participant_path="participant")
    goals = PlanGoalSerializer(many=True, read_only=True)

    class Meta:
        model = Plan
        fields = ("id", "enrolment", "established_on", "next_review_on", "summary", "goals",
                  "created_at", "updated_at")
        read_only_fields = ("created_at", "updated_at")

    def validate_enrolment(self, enrolment: Enrolment) -> Enrolment:
        # save_plan revises an existing plan; POST promises a new one, PATCH revises.
        if Plan.objects.filter(enrolment=enrolment).exists():
            raise serializers.ValidationError(
                _("This enrolment already has a plan; change it with PATCH /plans/{id}/."),
                code="plan_exists")
        return enrolment

    def perform_create(self, actor: User, data: dict[str, Any]) -> Plan:
        return actions.save_plan(actor=actor, **data)


class PlanUpdateSerializer(PlanSerializer):
    enrolment = serializers.PrimaryKeyRelatedField(read_only=True)

    def perform_update(self, actor: User, instance: Plan, data: dict[str, Any]) -> Plan:
        return actions.save_plan(actor=actor, enrolment=instance.enrolment, **data)


class EnrolmentQuerySerializer(serializers.Serializer):
    enrolment = IdField(required=False)


class PlanViewSet(ListMixin, RetrieveMixin, CreateMixin, PartialUpdateMixin, ScopedViewSet):
    queryset = Plan.objects.select_related("enrolment").prefetch_related("goals")
    participant_path = "enrolment__participant"
    query_serializer_class = EnrolmentQuerySerializer
    read_capability = Capability.VIEW_PARTICIPANTS
    write_capabilities = (Capability.PLAN,)

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "partial_update":
            return PlanUpdateSerializer
        if self.action in ("goals", "goal"):
            return PlanGoalSerializer
        return PlanSerializer

    @extend_schema(request=PlanGoalSerializer, responses={201: PlanGoalSerializer})
    @action(detail=True, methods=["post"])
    def goals(self, request: Request, pk: str | None = None) -> Response:
        """Add a goal to the plan."""
        return self.run_action(request, PlanGoalSerializer, plan=self.get_object())

    @extend_schema(request=PlanGoalSerializer, responses={200: PlanGoalSerializer},
                   parameters=[OpenApiParameter("goal_id", int, OpenApiParameter.PATH)])
    @action(detail=True, methods=["patch"], url_path=r"goals/(?P<goal_id>[0-9]+)")
    def goal(self, request: Request, pk: str | None = None,
             goal_id: str | None = None) -> Response:
        """Change a goal, e.g. record the day it was achieved."""
        goal = get_object_or_404(PlanGoal, plan=self.get_object(), pk=goal_id)
        serializer = PlanGoalSerializer(goal, data=request.data, partial=True,
                                        context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return Response(PlanGoalSerializer(serializer.save(),
                                           context=self.get_serializer_context()).data)


# --- interventions ----------------------------------------------------------------------------


class InterventionSerializer(ActionModelSerializer):
    enrolment = ScopedPrimaryKeyField(queryset=Enrolment.objects.all(),
                                      participant_path="participant")

    class Meta:
        model = Intervention
        fields = ("id", "enrolment", "kind", "title", "provider", "start_date", "end_date",
                  "hours_per_week", "status", "note", "created_at", "updated_at")
        read_only_fields = ("created_at", "updated_at")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Intervention:
        return actions.save_intervention(actor=actor, **data)

    def perform_update(self, actor: User, instance: Intervention,
                       data: dict[str, Any]) -> Intervention:
        # Another enrolment here is refused by the action (wrong_enrolment).
        enrolment = data.pop("enrolment", instance.enrolment)
        return actions.save_intervention(actor=actor, enrolment=enrolment,
                                         intervention=instance, **data)


class InterventionViewSet(ListMixin, RetrieveMixin, CreateMixin, PartialUpdateMixin,
                          ScopedViewSet):
    queryset = Intervention.objects.select_related("enrolment")
    participant_path = "enrolment__participant"
    serializer_class = InterventionSerializer
    query_serializer_class = EnrolmentQuerySerializer
    write_capabilities = (Capability.PLAN,)


# --- attendance -------------------------------------------------------------------------------


class AttendanceSerializer(ActionModelSerializer):
    intervention = ScopedPrimaryKeyField(queryset=Intervention.objects.all(),
                                         participant_path="enrolment__participant")
    week = serializers.DateField(write_only=True,
                                 help_text=_("Any day of the ISO week; stored as its Monday."))
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Attendance
        fields = ("id", "intervention", "week", "week_start", "hours_attended", "hours_absent",
                  "absence_reason", "note", "recorded_by", "created_at", "updated_at")
        read_only_fields = ("week_start", "created_at", "updated_at")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Attendance:
        return actions.record_attendance(actor=actor, **data)


class AttendanceQuerySerializer(serializers.Serializer):
    intervention = IdField(required=False)


class AttendanceViewSet(ListMixin, RetrieveMixin, CreateMixin, ScopedViewSet):
    """Weekly attendance. POST records a week, or corrects it if already recorded: 201 when
    the week is new, 200 when an existing week was corrected."""

    queryset = Attendance.objects.select_related("recorded_by")
    serializer_class = AttendanceSerializer
    participant_path = "intervention__enrolment__participant"
    query_serializer_class = AttendanceQuerySerializer
    write_capabilities = (Capability.RECORD_ATTENDANCE,)

    @extend_schema(responses={201: AttendanceSerializer, 200: AttendanceSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        existed = Attendance.objects.filter(intervention=data["intervention"],
                                            week_start=week_start(data["week"])).exists()
        serializer.save()
        return Response(serializer.data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)
