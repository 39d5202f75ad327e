"""API v1: staff accounts and their roles, for the system administrator (MANAGE_USERS).

For the municipality's IT department to provision from its identity management: the same
actions as the administration pages and `vidare staff` (access/staff.py), so the same rules
hold (unique usernames, password rules, municipality-wide roles without a centre, no
self-granted role, no self-deactivation). Every other role gets 403 on every call: the list
holds employees' names and contact details. No password or second-factor secret is ever
returned; `second_factor` only says whether an authenticator app is set up.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from vidare.core.api_base import (
    ActionModelSerializer,
    ActionSerializer,
    CreateMixin,
    ListMixin,
    NaturalKeyField,
    PartialUpdateMixin,
    UnscopedViewSet,
)
from vidare.organisation.models import Centre

from . import staff
from .models import Membership, User
from .roles import Capability, Role


def role_field(**kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=Role.choices, **kwargs)


class MembershipSerializer(serializers.ModelSerializer):
    role = role_field()
    centre_help = _("The centre's code; null for a municipality-wide role (analytiker, "
                    "socialsekreterare, systemadministrator).")
    centre = NaturalKeyField(queryset=Centre.objects.all(), allow_null=True, required=False,
                             help_text=centre_help)

    class Meta:
        model = Membership
        fields = ("id", "role", "centre")
        read_only_fields = ("id",)


class StaffSerializer(ActionModelSerializer):
    """POST creates an active account with no role (give roles with .../roles/); without
    `password` it has none that works until one is set or the member logs in through the
    municipality's identity provider. PATCH changes account fields and `is_active`."""

    about_participants = False
    # The action checks username and e-mail, so that every field's error comes at once,
    # worded and coded as on the pages.
    username = serializers.CharField(max_length=150)
    first_name = serializers.CharField(max_length=150, allow_blank=True)
    last_name = serializers.CharField(max_length=150, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    password = serializers.CharField(write_only=True, required=False, allow_blank=True,
                                     style={"input_type": "password"}, help_text=_(
                                         "A temporary password (only when creating); the "
                                         "member must change it at the first login."))
    is_active = serializers.BooleanField(required=False, help_text=_(
        "false deactivates the account: no login, no capability; its roles are kept."))
    roles = MembershipSerializer(source="memberships", many=True, read_only=True)
    second_factor = serializers.BooleanField(source="has_app", read_only=True, help_text=_(
        "Whether an authenticator app is set up."))

    class Meta:
        model = User
        fields = ("id", "username", "first_name", "last_name", "email", "title", "phone",
                  "password", "is_active", "password_change_required", "last_login",
                  "second_factor", "roles")
        read_only_fields = ("password_change_required", "last_login")

    def validate_password(self, value: str) -> str:
        if self.instance is not None:
            raise serializers.ValidationError(
                _("Set a password with POST /api/v1/staff/{id}/password/."), code="read_only")
        return value

    def perform_create(self, actor: User, data: dict[str, Any]) -> User:
        active = data.pop("is_active", True)
        user = staff.create_staff(actor=actor, **data)
        if not active:
            staff.set_active(actor=actor, user=user, active=False)
        return with_annotations(user)

    def perform_update(self, actor: User, instance: User, data: dict[str, Any]) -> User:
        active = data.pop("is_active", None)
        if data:
            instance = staff.update_staff(actor=actor, user=instance, **data)
        if active is not None:
            instance = staff.set_active(actor=actor, user=instance, active=active)
        return with_annotations(instance)


class MemberActionSerializer(ActionSerializer):
    """An action on one member (context["member"]); its answer is about staff, not a
    participant."""

    about_participants = False


class PasswordSerializer(MemberActionSerializer):
    password = serializers.CharField(write_only=True, style={"input_type": "password"},
                                     help_text=_("Checked by the password rules; the member "
                                                 "must change it at the next login."))

    def perform_create(self, actor: User, data: dict[str, Any]) -> User:
        user = staff.set_password(actor=actor, user=self.context["member"], **data)
        return with_annotations(user)


class ResetSecondFactorSerializer(MemberActionSerializer):
    removed = serializers.IntegerField(read_only=True, help_text=_(
        "How many devices (app, backup codes) were removed."))

    def perform_create(self, actor: User, data: dict[str, Any]) -> dict[str, int]:
        return {"removed": staff.reset_second_factor(actor=actor, user=self.context["member"])}


class GrantRoleSerializer(MemberActionSerializer):
    role = role_field()
    centre = NaturalKeyField(queryset=Centre.objects.all(), allow_null=True, required=False,
                             default=None, help_text=MembershipSerializer.centre_help)

    def perform_create(self, actor: User, data: dict[str, Any]) -> Membership:
        return staff.grant_role(actor=actor, user=self.context["member"], **data)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return dict(MembershipSerializer(instance).data)


class RevokeRoleSerializer(GrantRoleSerializer):
    def perform_create(self, actor: User, data: dict[str, Any]) -> User:
        member = self.context["member"]
        staff.revoke_role(actor=actor, membership=staff.find_membership(member, **data))
        return with_annotations(member)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return dict(StaffSerializer(instance, context=self.context).data)


class StaffQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100, help_text=_(
        "Part of the username, name or e-mail address."))
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)
    role = role_field(required=False)
    centre = NaturalKeyField(queryset=Centre.objects.all(), required=False)


def annotated(queryset: QuerySet[User]) -> QuerySet[User]:
    """Roles and whether an app is set up, in a fixed number of queries for any page."""
    return queryset.annotate(has_app=Exists(TOTPDevice.objects.filter(
        user=OuterRef("pk"), confirmed=True))).prefetch_related(
        Prefetch("memberships", Membership.objects.select_related("centre")
                 .order_by("role", "centre__name")))


def with_annotations(user: User) -> User:
    return annotated(User.objects.filter(pk=user.pk)).get()


class StaffViewSet(ListMixin, CreateMixin, PartialUpdateMixin, UnscopedViewSet):
    """Staff accounts with their roles (personal: system administrator only)."""

    queryset = User.objects.order_by("last_name", "first_name", "username")
    serializer_class = StaffSerializer
    query_serializer_class = StaffQuerySerializer
    read_capabilities = (Capability.MANAGE_USERS,)
    write_capabilities = (Capability.MANAGE_USERS,)

    def get_queryset(self) -> QuerySet[User]:
        return annotated(super().get_queryset())

    def apply_filters(self, queryset: QuerySet[Any], params: dict[str, Any]) -> QuerySet[Any]:
        text = params.get("q", "").strip()
        if text:
            queryset = queryset.filter(Q(username__icontains=text)
                                       | Q(first_name__icontains=text)
                                       | Q(last_name__icontains=text)
                                       | Q(email__icontains=text))
        if params.get("is_active") is not None:
            queryset = queryset.filter(is_active=params["is_active"])
        held = {f"memberships__{key}": params[key] for key in ("role", "centre")
                if key in params}
        return queryset.filter(**held).distinct() if held else queryset

    def _member_action(self, request: Request, serializer: type[serializers.Serializer],
                       response_status: int = status.HTTP_200_OK,
                       response_class: type[serializers.Serializer] | None = None) -> Response:
        return self.run_action(request, serializer, response_class=response_class,
                               response_status=response_status, member=self.get_object())

    @extend_schema(request=PasswordSerializer, responses={200: StaffSerializer})
    @action(detail=True, methods=["post"], serializer_class=PasswordSerializer)
    def password(self, request: Request, pk: str | None = None) -> Response:
        """Set a temporary password; the member's open sessions end."""
        return self._member_action(request, PasswordSerializer, response_class=StaffSerializer)

    @extend_schema(request=None, responses={200: ResetSecondFactorSerializer})
    @action(detail=True, methods=["post"], url_path="reset-second-factor",
            serializer_class=ResetSecondFactorSerializer)
    def reset_second_factor(self, request: Request, pk: str | None = None) -> Response:
        """Remove the member's authenticator app and backup codes (a lost phone)."""
        return self._member_action(request, ResetSecondFactorSerializer)

    @extend_schema(request=GrantRoleSerializer, responses={201: MembershipSerializer})
    @action(detail=True, methods=["post"], serializer_class=GrantRoleSerializer)
    def roles(self, request: Request, pk: str | None = None) -> Response:
        """Give the member a role, at a centre or municipality-wide."""
        return self._member_action(request, GrantRoleSerializer, status.HTTP_201_CREATED)

    @extend_schema(request=RevokeRoleSerializer, responses={200: StaffSerializer})
    @action(detail=True, methods=["post"], url_path="revoke-role",
            serializer_class=RevokeRoleSerializer)
    def revoke_role(self, request: Request, pk: str | None = None) -> Response:
        """Take a role back (the membership stays in the history)."""
        return self._member_action(request, RevokeRoleSerializer)
