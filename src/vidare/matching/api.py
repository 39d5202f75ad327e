"""API v1: matching and proposals.

* GET  /vacancies/{id}/candidates/     ranked candidates among the user's participants, with
                                        the reasons in words; exclusion counts; who lacks an
                                        assessment. Each participant returned is access-logged.
* GET  /participants/{id}/vacancies/   ranked open vacancies for one participant.
* GET/POST /proposals/, GET /proposals/{id}/, POST /proposals/{id}/outcome/.

Explicit states instead of empty lists: "no_occupation" (the vacancy cannot be matched),
"no_assessment" (the participant cannot be matched). Scores shown to a user without
VIEW_SPECIAL_CATEGORY leave out the points for adaptations, so no need can be inferred.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from vidare.access.log import log_access
from vidare.access.models import AccessLogEntry
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
    VidareAutoSchema,
    participant_centre_ids,
    special_allowed,
)
from vidare.core.views import can_on_participant, client_ip
from vidare.people.models import Participant

from . import actions
from .explain import Explainer, display_score, exclusion_label
from .models import DeclinedBy, Proposal, ProposalStatus
from .services import NO_ASSESSMENT, NO_OCCUPATION, vacancies_for_participant

if TYPE_CHECKING:
    from vidare.access.models import User

STATE_MESSAGES = {
    NO_OCCUPATION: gettext_lazy("The vacancy has no occupation (SSYK): not enough "
                                "information to match."),
    NO_ASSESSMENT: gettext_lazy("The participant has no assessment (kartläggning) and cannot "
                                "be matched."),
}


def _vacancy_model() -> Any:
    from vidare.vacancies.models import Vacancy

    return Vacancy


def _log_api_list(request: Request, ids: list[int], what: str, special: bool) -> None:
    user = request.user
    AccessLogEntry.objects.bulk_create([
        AccessLogEntry(user=user, username=user.get_username(), participant_id=pk,
                       participant_ref=str(pk), what=what[:100], channel="api",
                       special_category_shown=special, ip_address=client_ip(request),
                       request_id=getattr(request, "request_id", ""))
        for pk in dict.fromkeys(ids)])


# --- serializers (output) ---------------------------------------------------------------------


class LineSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


class CandidateSerializer(serializers.Serializer):
    participant = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.IntegerField()
    reasons = LineSerializer(many=True)


class CountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CandidatesSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["ok", NO_OCCUPATION])
    message = serializers.CharField(allow_blank=True)
    pool_size = serializers.IntegerField(help_text=gettext_lazy(
        "Participants the user may match (open enrolment at their centres)."))
    eligible_count = serializers.IntegerField()
    exclusion_counts = CountSerializer(many=True)
    without_assessment = PersonSerializer(many=True, help_text=gettext_lazy(
        "Participants in the pool without an assessment: they cannot be matched."))
    results = CandidateSerializer(many=True)


class VacancyMatchSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    employer = serializers.CharField(allow_null=True)
    score = serializers.IntegerField()
    reasons = LineSerializer(many=True)


class ParticipantVacanciesSerializer(serializers.Serializer):
    participant = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["ok", NO_ASSESSMENT])
    message = serializers.CharField(allow_blank=True)
    open_vacancies = serializers.IntegerField()
    without_occupation = serializers.IntegerField(help_text=gettext_lazy(
        "Open vacancies without an occupation: they cannot be matched."))
    results = VacancyMatchSerializer(many=True)


# --- candidates for a vacancy -----------------------------------------------------------------


class VacancyCandidatesViewSet(GenericViewSet):  # type: ignore[type-arg]
    """Ranked candidates for a vacancy (vacancies are a municipality-wide register; the
    candidates are the participants the user may match)."""

    schema = VidareAutoSchema()
    parser_classes = [JSONParser]
    lookup_value_regex = "[1-9][0-9]{0,17}"
    serializer_class = CandidatesSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return _vacancy_model().objects.select_related("occupation", "municipality")

    @extend_schema(responses={200: CandidatesSerializer})
    @action(detail=True, methods=["get"])
    def candidates(self, request: Request, pk: str | None = None) -> Response:
        """The best candidates (top 20, or `?top=` up to 200) with the reasons in words."""
        user: User = request.user  # type: ignore[assignment]
        if not user.can(Capability.MATCH):
            raise PermissionDenied
        vacancy = self.get_object()
        top = _top(request)
        show_special = _special_for_pool(user)
        _run, result = actions.run_matching(actor=user, vacancy=vacancy, top=top,
                                           show_special=show_special)
        data = {
            "vacancy": vacancy.pk, "state": result.state,
            "message": str(STATE_MESSAGES.get(result.state, "")),
            "pool_size": result.pool_size, "eligible_count": result.eligible_count,
            "exclusion_counts": [{"code": c, "label": exclusion_label(c), "count": n}
                                 for c, n in result.exclusion_counts],
            "without_assessment": [{"id": pk, "name": name} for pk, name in result.missing],
            "results": [{"participant": r.key, "name": r.name,
                         "score": r.score,
                         "reasons": [{"code": line.code, "text": line.text}
                                     for line in r.lines]}
                        for r in result.rows],
        }
        _log_api_list(request, [r.key for r in result.rows] + [pk for pk, _n in result.missing],
                      f"api:vacancy_candidates {vacancy.pk}", show_special)
        return Response(CandidatesSerializer(data).data)


def _top(request: Request) -> int:
    raw = request.query_params.get("top", "20")
    if not raw.isdigit() or not 1 <= int(raw) <= 200:
        raise serializers.ValidationError({"top": [serializers.ErrorDetail(
            _("Give a whole number from 1 to 200."), code="out_of_range")]})
    return int(raw)


def _special_for_pool(user: User) -> bool:
    from .views import special_for_pool

    return special_for_pool(user)


# --- vacancies for a participant --------------------------------------------------------------


class ParticipantVacanciesViewSet(ScopedViewSet):
    """Ranked open vacancies and internships for one participant."""

    queryset = Participant.objects.all()
    participant_path = ""
    serializer_class = ParticipantVacanciesSerializer
    pagination_class = None

    @extend_schema(responses={200: ParticipantVacanciesSerializer})
    @action(detail=True, methods=["get"])
    def vacancies(self, request: Request, pk: str | None = None) -> Response:
        """Open vacancies the participant meets the requirements of, best first."""
        participant = self.get_object()
        user = request.user
        if not can_on_participant(user, Capability.MATCH, participant):
            raise PermissionDenied
        show_special = can_on_participant(user, Capability.VIEW_SPECIAL_CATEGORY, participant)
        result = vacancies_for_participant(participant, top=_top(request),
                                           show_special=show_special)
        log_access(request, participant, "api:participant_vacancies", channel="api",
                   special_shown=show_special)
        data = {
            "participant": participant.pk, "state": result.state,
            "message": str(STATE_MESSAGES.get(result.state, "")),
            "open_vacancies": result.open_count, "without_occupation": result.without_occupation,
            "results": [{"vacancy": r.vacancy.pk, "title": r.vacancy.title,
                         "kind": r.vacancy.kind,
                         "employer": r.vacancy.employer.name if r.vacancy.employer else None,
                         "score": r.score,
                         "reasons": [{"code": line.code, "text": line.text}
                                     for line in r.lines]}
                        for r in result.rows],
        }
        return Response(ParticipantVacanciesSerializer(data).data)


# --- proposals --------------------------------------------------------------------------------


class ProposalSerializer(ActionModelSerializer):
    """A proposal of a participant for a vacancy. `reasons` is the explanation kept from
    when the proposal was made, in words."""

    participant = ScopedPrimaryKeyField(queryset=Participant.objects.all(), participant_path="")
    vacancy = serializers.PrimaryKeyRelatedField(queryset=_vacancy_model().objects.all())
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reasons = serializers.SerializerMethodField()
    score = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ("id", "participant", "vacancy", "proposed_by", "proposed_on", "status",
                  "status_on", "declined_by", "decline_reason", "score", "reasons",
                  "created_at", "updated_at")
        read_only_fields = ("proposed_on", "status", "status_on", "declined_by",
                            "decline_reason", "created_at", "updated_at")

    def _special(self, instance: Proposal) -> bool:
        cache = self.context.setdefault("_special", {})
        if instance.participant_id not in cache:
            cache[instance.participant_id] = special_allowed(
                self.user, participant_centre_ids(instance.participant))
        return bool(cache[instance.participant_id])

    @extend_schema_field(OpenApiTypes.INT)
    def get_score(self, instance: Proposal) -> int:
        return display_score(instance.score, instance.explanation, self._special(instance))

    @extend_schema_field(LineSerializer(many=True))
    def get_reasons(self, instance: Proposal) -> list[dict[str, str]]:
        lines = Explainer(self._special(instance)).summary(
            instance.explanation, open_to_all=instance.vacancy.open_to_all)
        return [{"code": line.code, "text": line.text} for line in lines]

    def perform_create(self, actor: User, data: dict[str, Any]) -> Proposal:
        return actions.propose(actor=actor, vacancy=data["vacancy"],
                               participants=[data["participant"]])[0]


class OutcomeSerializer(ActionSerializer):
    # Every status but "proposed", which a proposal only starts in.
    status = serializers.ChoiceField(choices=ProposalStatus.choices[1:])
    on = serializers.DateField()
    declined_by = serializers.ChoiceField(choices=DeclinedBy.choices, required=False,
                                          allow_blank=True)
    decline_reason = serializers.CharField(required=False, allow_blank=True)
    placement_ends_on = serializers.DateField(required=False, allow_null=True)

    def perform_create(self, actor: User, data: dict[str, Any]) -> Proposal:
        return actions.record_outcome(
            actor=actor, proposal=self.context["proposal"], status=data["status"],
            on=data["on"], declined_by=data.get("declined_by", ""),
            reason=data.get("decline_reason", ""),
            placement_ends_on=data.get("placement_ends_on"))


class ProposalQuerySerializer(serializers.Serializer):
    vacancy = IdField(required=False)
    status = serializers.ChoiceField(choices=ProposalStatus.choices, required=False)
    mine = serializers.BooleanField(required=False)


class ProposalViewSet(ListMixin, RetrieveMixin, CreateMixin, ScopedViewSet):
    """Proposals of the participants the user may list. A proposal is made for one
    participant (POST); outcomes are recorded with POST /proposals/{id}/outcome/."""

    queryset = (Proposal.objects.select_related("participant", "vacancy", "proposed_by")
                .prefetch_related("participant__enrolments", "participant__referrals"))
    serializer_class = ProposalSerializer
    query_serializer_class = ProposalQuerySerializer
    read_capability = Capability.MATCH
    write_capabilities = (Capability.MATCH,)
    unlisted_protected = True

    def apply_filters(self, queryset: Any, params: dict[str, Any]) -> Any:
        if "vacancy" in params:
            queryset = queryset.filter(vacancy_id=params["vacancy"])
        if "status" in params:
            queryset = queryset.filter(status=params["status"])
        if params.get("mine"):
            queryset = queryset.filter(proposed_by=self.request.user)
        return queryset

    def get_object(self) -> Any:
        obj = super().get_object()
        if not can_on_participant(self.request.user, Capability.MATCH, obj.participant):
            raise PermissionDenied
        return obj

    @extend_schema(request=OutcomeSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"], serializer_class=OutcomeSerializer)
    def outcome(self, request: Request, pk: str | None = None) -> Response:
        """Move the proposal on (presenterad, intervju, anstalld) or end it (avbojd, with
        declined_by). Steps go forward only; anstalld records the placement."""
        return self.run_action(request, OutcomeSerializer, response_class=ProposalSerializer,
                               response_status=status.HTTP_200_OK, proposal=self.get_object())
