"""API v1: the organisation's code lists (centres, programmes, target groups).

Every logged-in user may read them: API clients need the codes that referrals, enrolments and
statistics use, and they hold no personal data. Only the system administrator (MANAGE_USERS)
changes them, through the same actions as the administration pages (organisation/actions.py),
so the same rules hold: codes and names unique, no deactivation while enrolments are open, a
target group's code fixed once it is in use. Lookups are by id; codes can change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from vidare.access.roles import Capability
from vidare.codelists.models import Municipality
from vidare.core.api_base import (
    ActionModelSerializer,
    CreateMixin,
    ListMixin,
    NaturalKeyField,
    PartialUpdateMixin,
    UnscopedViewSet,
)

from . import actions
from .models import Centre, Programme, TargetGroup

if TYPE_CHECKING:
    from vidare.access.models import User


class OrganisationViewSet(UnscopedViewSet):
    write_capabilities = (Capability.MANAGE_USERS,)


class CodeListSerializer(ActionModelSerializer):
    about_participants = False


class ActiveQuerySerializer(serializers.Serializer):
    active = serializers.BooleanField(required=False, allow_null=True, default=None, help_text=_(
        "true: only active ones (open for new referrals and enrolments); false: only "
        "inactive ones; left out: all."))


class ActiveFilterMixin:
    query_serializer_class = ActiveQuerySerializer

    def apply_filters(self, queryset: models.QuerySet[Any],
                      params: dict[str, Any]) -> models.QuerySet[Any]:
        if params.get("active") is None:
            return queryset
        return queryset.filter(active=params["active"])


# --- centres -----------------------------------------------------------------------------------


class CentreSerializer(CodeListSerializer):
    municipality = NaturalKeyField(queryset=Municipality.objects.all(), required=False,
                                   allow_null=True, help_text=_(
                                       "The municipality's four-digit code (e.g. 1480)."))

    class Meta:
        model = Centre
        fields = ("id", "code", "name", "municipality", "address", "active")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Centre:
        return actions.save_centre(actor=actor, **data)

    def perform_update(self, actor: User, instance: Centre, data: dict[str, Any]) -> Centre:
        return actions.save_centre(actor=actor, centre=instance, **data)


class CentreViewSet(ActiveFilterMixin, ListMixin, CreateMixin, PartialUpdateMixin,
                    OrganisationViewSet):
    """Centres (enheter). PATCH {"active": false} closes one for new referrals and
    enrolments; refused (active, open_enrolments) while enrolments there are open."""

    queryset = Centre.objects.select_related("municipality").order_by("name")
    serializer_class = CentreSerializer


# --- target groups -----------------------------------------------------------------------------


class TargetGroupSerializer(CodeListSerializer):
    class Meta:
        model = TargetGroup
        fields = ("id", "code", "name", "description", "special_category")

    def perform_create(self, actor: User, data: dict[str, Any]) -> TargetGroup:
        return actions.save_target_group(actor=actor, **data)

    def perform_update(self, actor: User, instance: TargetGroup,
                       data: dict[str, Any]) -> TargetGroup:
        return actions.save_target_group(actor=actor, group=instance, **data)


class TargetGroupViewSet(ListMixin, CreateMixin, PartialUpdateMixin, OrganisationViewSet):
    """Target groups (målgrupper). `special_category` marks a group whose membership reveals
    health, disability or origin; its code cannot change once enrolments or programmes use
    it (code, in_use)."""

    queryset = TargetGroup.objects.order_by("name")
    serializer_class = TargetGroupSerializer


# --- programmes --------------------------------------------------------------------------------


class ProgrammeSerializer(CodeListSerializer):
    centres = NaturalKeyField(many=True, queryset=Centre.objects.all(), required=False,
                              help_text=_("Codes of the centres that offer the programme; at "
                                          "least one."))
    target_groups = NaturalKeyField(many=True, queryset=TargetGroup.objects.all(),
                                    required=False, help_text=_(
                                        "Codes of the target groups it is meant for; empty "
                                        "means open to everyone."))

    class Meta:
        model = Programme
        fields = ("id", "code", "name", "description", "min_age", "max_age",
                  "max_length_months", "centres", "target_groups", "active")

    def perform_create(self, actor: User, data: dict[str, Any]) -> Programme:
        return actions.save_programme(actor=actor, **data)

    def perform_update(self, actor: User, instance: Programme,
                       data: dict[str, Any]) -> Programme:
        return actions.save_programme(actor=actor, programme=instance, **data)


class ProgrammeViewSet(ActiveFilterMixin, ListMixin, CreateMixin, PartialUpdateMixin,
                       OrganisationViewSet):
    """Programmes with their age band, maximum length, centres and target groups. Centres
    or target groups left out of a PATCH stay as they are; a centre cannot be dropped while
    the programme has open enrolments there (centres, open_enrolments)."""

    queryset = Programme.objects.prefetch_related("centres", "target_groups").order_by("name")
    serializer_class = ProgrammeSerializer
