"""Shared pieces of the REST API (v1). Every app's api.py is built from these.

The rules they carry, so each endpoint gets them by construction:

* Scope. Every queryset starts from the participants the user may see
  (``Participant.objects.visible_to``); an object outside it is a 404, never a 403.
* Writes. Serializers check types and shapes only; ``save()`` calls an app's action with
  ``actor=request.user`` inside one transaction. Capability checks and business rules are the
  action's, so the API obeys exactly what the web interface obeys.
* Special-category data. Fields a serializer lists in ``special_fields`` are left out of the
  JSON, and ignored on input, for a user without VIEW_SPECIAL_CATEGORY at the object's centre.
* Status view. A user who sees a person only as the social-assistance officer who referred
  them (no case role at any of the person's centres) gets only ``STATUS_FIELDS`` of each
  resource: status and attendance, never case details.
* Refusals. A 403 or 404 on an existing record, or a reference in the body to an existing
  record out of scope (400 does_not_exist), writes an access-log row with allowed=False for
  the person; the answer is unchanged.
* Access log. Every retrieve writes one row (what="api:<resource>", channel="api"). Of the
  lists, only the participant list logs: one row per participant returned. Other lists carry
  no personal details beyond ids, codes and dates.
* Errors. Every 4xx is ``{"errors": [{"field", "code", "message"}]}`` (core/api.py); the OpenAPI
  document declares that shape on every operation (VidareAutoSchema).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.validators import UniqueValidator
from rest_framework.viewsets import GenericViewSet

from vidare.access.log import log_access
from vidare.access.roles import Capability
from vidare.people.models import Participant
from vidare.people.scoping import scoped

if TYPE_CHECKING:
    from vidare.access.models import User


# --- scope ------------------------------------------------------------------------------------

# What a user sees of each resource when they see the person only as the social-assistance
# officer who referred them (access/matrix.py, STATUS_VIEW). Resources not named: the id only.
STATUS_FIELDS: dict[str, frozenset[str]] = {
    "Participant": frozenset({"id", "identity_kind", "identity_number", "first_name",
                              "last_name", "birth_date", "birth_year", "protected_identity"}),
    "Referral": frozenset({"id", "participant", "source", "centre", "programme", "referred_on",
                           "referrer_name", "referrer_organisation", "referrer_contact",
                           "referrer_user", "outreach_area", "reason", "status", "closed_on",
                           "close_reason", "created_at"}),
    "Enrolment": frozenset({"id", "participant", "programme", "centre", "responsible",
                            "referral", "start_date", "end_date", "status", "is_re_enrolment",
                            "max_end_date", "created_at"}),
    "Exit": frozenset({"id", "enrolment", "exit_date", "reason", "created_at"}),
    "Intervention": frozenset({"id", "enrolment", "kind", "title", "start_date", "end_date",
                               "hours_per_week", "status", "created_at", "updated_at"}),
    "Attendance": frozenset({"id", "intervention", "week_start", "hours_attended",
                             "hours_absent", "absence_reason", "recorded_by", "created_at",
                             "updated_at"}),
    "Consent": frozenset({"id", "participant", "party", "scope", "given_on", "expires_on",
                          "withdrawn_on", "status"}),
}
# How each participant-related model reaches its participant, tried in this order.
_TOWARDS_PARTICIPANT = ("participant", "enrolment", "intervention", "referral", "plan",
                        "assessment", "consent")


def participant_of(obj: Any) -> Participant | None:
    """The participant a row belongs to (None for rows that belong to nobody)."""
    for _step in range(6):
        if isinstance(obj, Participant) or obj is None:
            return obj
        step = next((s for s in _TOWARDS_PARTICIPANT if hasattr(type(obj), s)), None)
        if step is None:
            return None
        obj = getattr(obj, step)
    return None


def participant_centre_ids(participant: Participant) -> set[int]:
    """Centres the participant is enrolled at or referred to (uses prefetches when present)."""
    return ({e.centre_id for e in participant.enrolments.all()}
            | {r.centre_id for r in participant.referrals.all()})


def sees_as_referrer(user: User, participant: Participant | None) -> bool:
    """Whether `user` sees `participant` only as the officer who referred them: without a
    case role (VIEW_PARTICIPANTS) at any centre the person is enrolled at or referred to."""
    scope = user.centre_ids_with(Capability.VIEW_PARTICIPANTS)
    if scope is None:
        return False
    if not scope:
        return True
    if participant is None or not user.can(Capability.REFER):
        return False  # a centre role sees people only through its centres
    return not scope & participant_centre_ids(participant)


def special_allowed(user: User, centre_ids: Iterable[int]) -> bool:
    """Whether `user` may see special-category data at one of `centre_ids`."""
    scope = user.centre_ids_with(Capability.VIEW_SPECIAL_CATEGORY)
    return scope is None or bool(scope & set(centre_ids))


# --- fields -----------------------------------------------------------------------------------


class NaturalKeyField(serializers.SlugRelatedField):
    """A related object named by its natural key (a centre's code, an SSYK code, ...).

    Codes are strings: "0110" and "110" are different SSYK codes, so numbers are refused.
    """

    default_error_messages = {
        "unknown_code": _("Unknown code: {value}."),
        "incorrect_type": _("Give the code as a string, not {data_type}."),
    }
    unknown_error = "unknown_code"

    def __init__(self, slug_field: str = "code", **kwargs: Any) -> None:
        super().__init__(slug_field=slug_field, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if "\x00" in data:
            # No code contains NUL, and PostgreSQL refuses it even in a lookup.
            self.fail(self.unknown_error, value=data.replace("\x00", "\\0"))
        found = self.get_queryset().filter(**{self.slug_field: data.strip()}).first()
        if found is None:
            self.fail(self.unknown_error, value=data)
        return found


class UserField(NaturalKeyField):
    """A member of staff, by username."""

    default_error_messages = {
        "unknown_user": _("No member of staff has the username {value}."),
        "incorrect_type": _("Give the username as a string, not {data_type}."),
    }
    unknown_error = "unknown_user"

    def __init__(self, **kwargs: Any) -> None:
        from vidare.access.models import User

        kwargs.setdefault("queryset", User.objects.filter(is_active=True))
        super().__init__(slug_field="username", **kwargs)


class IdField(serializers.IntegerField):
    """A row id in a query parameter: a positive 64-bit integer, so a huge number is a 400
    naming the parameter, not an overflow in the database driver."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(**kwargs)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A participant-related object by id, looked up only among those the user may see, so an
    id outside the user's scope reads as "does not exist" just like a missing one."""

    def __init__(self, *, participant_path: str, **kwargs: Any) -> None:
        # Required, not defaulted: a wrong path silently compares unrelated ids.
        self.participant_path = participant_path
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return scoped(queryset, self.participant_path, request.user)

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            request = self.context.get("request")
            text = str(data)
            if request is not None and text.isascii() and text.isdigit() and len(text) < 19:
                found = super().get_queryset().filter(pk=data).first()
                participant = participant_of(found)
                if participant is not None:
                    from vidare.core.views import log_refused

                    log_refused(request, participant, channel="api")
            raise


# --- serializers ------------------------------------------------------------------------------


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(help_text=_('The input field, e.g. "start_date" or '
                                              '"work_experiences[0].occupation"; "__all__" '
                                              "when no single field is at fault."))
    code = serializers.CharField(help_text=_('The rule that failed, e.g. "checksum", '
                                             '"overlapping_enrolment", "unknown_code".'))
    message = serializers.CharField(help_text=_("An explanation for people."))


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx response."""

    errors = ErrorItemSerializer(many=True)


class RestrictedFieldsMixin:
    """Leaves fields out of the representation the user may not see. (Also gives every
    serializer `self.user`, the requesting user, who is the actor of its writes.)"""

    special_fields: tuple[str, ...] = ()
    # False for code lists (centres, programmes ...): nothing in them is about a person, so
    # the referring officer's status view does not cut them down to their ids.
    about_participants = True

    @property
    def user(self) -> User:
        return self.context["request"].user  # type: ignore[attr-defined, no-any-return]

    def special_shown(self, instance: Any) -> bool:
        """Whether this user sees `instance`'s special-category fields; decides the JSON and
        the access-log flag."""
        return False

    def hidden_fields(self, instance: Any) -> set[str]:
        if self.special_fields and not self.special_shown(instance):
            return set(self.special_fields)
        return set()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)  # type: ignore[misc]
        hidden = self.hidden_fields(instance)
        request = self.context.get("request")  # type: ignore[attr-defined]
        if (self.about_participants and request is not None
                and sees_as_referrer(request.user, participant_of(instance))):
            hidden |= set(data) - STATUS_FIELDS.get(type(instance).__name__, {"id"})
        for name in hidden:
            data.pop(name, None)
        return data  # type: ignore[no-any-return]


class ActionSerializerMixin:
    """save() runs an app's action in one transaction; the serializer never writes itself.

    Subclasses implement ``perform_create(actor, data)`` and, if updatable,
    ``perform_update(actor, instance, data)``; each calls an action and returns the object.
    """

    def create(self, validated_data: dict[str, Any]) -> Any:
        with transaction.atomic():
            return self.perform_create(self.user, validated_data)  # type: ignore[attr-defined]

    def update(self, instance: Any, validated_data: dict[str, Any]) -> Any:
        with transaction.atomic():
            return self.perform_update(self.user, instance,  # type: ignore[attr-defined]
                                       validated_data)

    def perform_create(self, actor: User, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def perform_update(self, actor: User, instance: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError


class ActionSerializer(ActionSerializerMixin, RestrictedFieldsMixin, serializers.Serializer):
    """Input for an action endpoint that has no model of its own (close, reassign ...)."""


class ActionModelSerializer(ActionSerializerMixin, RestrictedFieldsMixin,
                            serializers.ModelSerializer):
    """Field types and shapes come from the model; uniqueness and every other rule are
    checked by the action (with the rule codes the web interface shows), not here."""

    def build_standard_field(self, field_name: str,
                             model_field: models.Field[Any, Any]) -> tuple[Any, dict[str, Any]]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if "validators" in kwargs:
            kwargs["validators"] = [v for v in kwargs["validators"]
                                    if not isinstance(v, UniqueValidator)]
        if issubclass(field_class, serializers.DecimalField):
            kwargs["coerce_to_string"] = False  # JSON numbers, as clients send them
        return field_class, kwargs

    def get_validators(self) -> list[Any]:
        return []


def with_prefix(exc: DjangoValidationError, prefix: str,
                names: Iterable[str]) -> DjangoValidationError:
    """Rename the errors on `names` to "<prefix>.<name>": an action that checks a nested
    object names its fields bare, the client sent them inside `prefix`."""
    names = set(names)
    if not hasattr(exc, "error_dict") or not names & set(exc.error_dict):
        return exc
    return DjangoValidationError({(f"{prefix}.{k}" if k in names else k): v
                                  for k, v in exc.error_dict.items()})


# --- OpenAPI ----------------------------------------------------------------------------------


class VidareAutoSchema(AutoSchema):
    """Adds the error shape on 400/403/404 and each list's query parameters."""

    def get_tags(self) -> list[str]:
        return [self.path.removeprefix("/api/v1/").split("/")[0]]

    def get_override_parameters(self) -> list[Any]:
        params = list(super().get_override_parameters())
        query = getattr(self.view, "query_serializer_class", None)
        if query is not None and getattr(self.view, "action", None) == "list":
            params.append(query)
        return params

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        codes = ["403"]  # 403 also for a request that is not logged in
        if self.method != "GET" or getattr(self.view, "query_serializer_class", None):
            codes.append("400")
        if "{" in self.path:
            codes.append("404")
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code,
                                                              direction=direction)
        return responses


# --- viewsets ---------------------------------------------------------------------------------


class VidareViewSet(GenericViewSet):  # type: ignore[type-arg]
    """What every v1 viewset shares: JSON in, the documented error shape, ids as routes,
    the list's query parameters validated like any input (400)."""

    # Ids are positive 64-bit integers; anything else is not a route (404), never an
    # overflow in the database driver.
    lookup_value_regex = "[1-9][0-9]{0,17}"
    query_serializer_class: type[serializers.Serializer] | None = None
    schema = VidareAutoSchema()
    parser_classes = [JSONParser]

    def filter_queryset(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if self.action != "list" or self.query_serializer_class is None:
            return queryset
        params = self.query_serializer_class(data=self.request.query_params,
                                             context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        return self.apply_filters(queryset, params.validated_data)

    def apply_filters(self, queryset: models.QuerySet[Any],
                      params: dict[str, Any]) -> models.QuerySet[Any]:
        """Narrow the list by validated query parameters; by default field=value for each."""
        return queryset.filter(**params)

    def log_list(self, request: Request, page: list[Any]) -> None:
        """Lists log nothing unless a resource says otherwise (see the module docstring)."""

    def run_action(self, request: Request, serializer_class: type[serializers.Serializer], *,
                   response_class: type[serializers.Serializer] | None = None,
                   response_status: int = status.HTTP_201_CREATED,
                   **context: Any) -> Response:
        """An action endpoint (POST .../{id}/exit/): validate `serializer_class`, call its
        action (with `context`, e.g. the object it acts on), answer with `response_class`."""
        serializer = serializer_class(data=request.data,
                                      context={**self.get_serializer_context(), **context})
        serializer.is_valid(raise_exception=True)
        result = serializer.save()
        out = (response_class or serializer_class)(result,
                                                   context=self.get_serializer_context())
        return Response(out.data, status=response_status)


class UnscopedViewSet(VidareViewSet):
    """Base of viewsets over records that hold no participant (the employer register, the
    organisation): nothing to scope or access-log. Reads need one of `read_capabilities`
    (none listed: every logged-in user), writes one of `write_capabilities` (none listed:
    nobody), else 403 before anything is looked up."""

    read_capabilities: tuple[Capability, ...] = ()
    write_capabilities: tuple[Capability, ...] = ()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method in SAFE_METHODS:
            needed = self.read_capabilities
            if needed and not any(request.user.can(c) for c in needed):
                raise PermissionDenied
        elif not any(request.user.can(c) for c in self.write_capabilities):
            raise PermissionDenied

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


class ScopedViewSet(VidareViewSet):
    """Base of every v1 viewset over participants' records.

    participant_path    how a row reaches its participant ("" for Participant itself)
    read_capability     if set, users without it anywhere see nothing of this resource
    unlisted_protected  the list (and its search) leaves out protected identities for all
                        but their named staff
    write_capabilities  a write by a user holding none of these is refused (403) before its
                        input is even read; the action still checks the centre
    query_serializer_class  the list's query parameters, validated like any input (400)
    """

    participant_path = "participant"
    read_capability: Capability | None = None
    write_capabilities: tuple[Capability, ...] = ()
    # The list leaves out people with protected identity, except for their named staff.
    unlisted_protected = False

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if (request.method not in SAFE_METHODS and self.write_capabilities
                and not any(request.user.can(c) for c in self.write_capabilities)):
            raise PermissionDenied

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, PermissionDenied | Http404 | exceptions.PermissionDenied
                      | exceptions.NotFound):
            self.log_refusal()
        return super().handle_exception(exc)

    def log_refusal(self) -> None:
        """A refused call on an existing record (by the id in the URL) is access-logged."""
        from vidare.core.views import log_refused

        pk = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        if not (pk.isdigit() and self.request.user.is_authenticated):
            return
        found = self.queryset.model._default_manager.filter(pk=pk).first()
        if found is not None:
            log_refused(self.request, self.participant_of(found), channel="api")

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset = super().get_queryset()
        user = self.request.user
        if self.read_capability is not None and not (user.is_authenticated
                                                     and user.can(self.read_capability)):
            return queryset.none()
        return scoped(queryset, self.participant_path, user,
                      listing=self.unlisted_protected and self.action == "list")

    def participant_of(self, obj: models.Model) -> Participant:
        for step in filter(None, self.participant_path.split("__")):
            obj = getattr(obj, step)
        return obj  # type: ignore[return-value]


# Each viewset composes the operations it offers; the router routes only those.


class ListMixin:
    def list(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.log_list(request, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RetrieveMixin:
    def retrieve(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        serializer = self.get_serializer(instance)
        data = serializer.data
        log_access(request, self.participant_of(instance), f"api:{self.basename}",
                   channel="api", special_shown=serializer.special_shown(instance))
        return Response(data)


class CreateMixin:
    def create(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data, status=status.HTTP_201_CREATED)


class PartialUpdateMixin:
    """PATCH only: a PUT would have to restate every field, and an omitted one would read as
    "clear it"."""

    def partial_update(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        instance._prefetched_objects_cache = {}  # show the changed relations, not the cache
        return Response(self.get_serializer(instance).data)
