"""Matching pages: candidates for a vacancy, vacancies for a participant, proposals and
their outcomes, unmet needs and the fairness audit.

Every participant a page lists is access-logged (one row each); lists hold only people in
the user's pool (`profiles.pool_queryset`), so a person the user may not see is never
listed. The unmet-needs and fairness pages hold counts only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from vidare.access.log import log_access
from vidare.access.models import AccessLogEntry
from vidare.access.roles import Capability
from vidare.core.forms import VidareForm
from vidare.core.views import (
    AccessMixin,
    ActionFormView,
    ScopedObjectMixin,
    ScopedParticipantMixin,
    can_on_participant,
    client_ip,
    optional_url,
)
from vidare.people.scoping import scoped

from . import actions, fairness, reports
from .explain import Explainer, display_score, exclusion_label
from .models import DeclinedBy, Proposal, ProposalStatus, ProposalStep
from .services import NO_ASSESSMENT, NO_OCCUPATION, vacancies_for_participant


def log_listed(request: HttpRequest, participant_ids: list[int], what: str, *,
               special_shown: bool = False) -> None:
    """One access-log row per participant a list shows (one INSERT for them all)."""
    user = request.user
    rows = [AccessLogEntry(user=user, username=user.get_username(), participant_id=pk,
                           participant_ref=str(pk), what=what[:100], channel="web",
                           special_category_shown=special_shown,
                           ip_address=client_ip(request),
                           request_id=getattr(request, "request_id", ""))
            for pk in dict.fromkeys(participant_ids)]
    AccessLogEntry.objects.bulk_create(rows)


def special_for_pool(user: Any) -> bool:
    """Whether the user may see special-category data at every centre of their pool."""
    special = user.centre_ids_with(Capability.VIEW_SPECIAL_CATEGORY)
    match = user.centre_ids_with(Capability.MATCH)
    if special is None:
        return True
    if match is None:
        return False
    return bool(match) and match <= special


def get_vacancy(pk: int) -> Any:
    from vidare.vacancies.models import Vacancy

    return get_object_or_404(Vacancy.objects.select_related(
        "employer", "occupation", "municipality"), pk=pk)


# --- candidates for a vacancy -----------------------------------------------------------------


class VacancyCandidatesView(AccessMixin, TemplateView):
    """Ranked candidates among the user's participants, with the reasons in words; who
    was excluded and why (counts, and per person on request); who has no assessment.
    POST proposes the people ticked."""

    capability = Capability.MATCH
    template_name = "matching/vacancy_candidates.html"
    errors: list[str]

    def check_access(self) -> None:
        super().check_access()
        self.vacancy = get_vacancy(self.kwargs["pk"])
        self.errors = []

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raw = request.POST.getlist("participant")
        ids: list[Any] = [int(v) if v.isdigit() and len(v) < 19 else v for v in raw]
        try:
            proposals = actions.propose(actor=request.user, vacancy=self.vacancy,
                                        participants=ids)
        except ValidationError as exc:
            self.errors = [m for msgs in exc.message_dict.values() for m in msgs]
            return self.get(request, *args, **kwargs)
        messages.success(request, _("%(n)s proposed for %(vacancy)s.") % {
            "n": len(proposals), "vacancy": self.vacancy.title})
        return HttpResponseRedirect(
            reverse("matching:proposal_list") + "?" + urlencode({"lediga_jobb":
                                                                 self.vacancy.pk}))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        show_special = special_for_pool(user)
        show_excluded = self.request.GET.get("visa") == "uteslutna"
        run, result = actions.run_matching(actor=user, vacancy=self.vacancy,
                                           with_excluded=show_excluded,
                                           show_special=show_special)
        listed = [r.key for r in result.rows] + [pk for pk, _name in result.missing]
        if result.excluded:
            listed += [r.key for r in result.excluded]
        log_listed(self.request, listed, f"matching: candidates for vacancy {self.vacancy.pk}",
                   special_shown=show_special)
        proposed = dict(Proposal.objects.filter(
            vacancy=self.vacancy, participant_id__in=listed).values_list("participant_id",
                                                                         "status"))
        statuses = dict(ProposalStatus.choices)
        rows = [{"row": r, "proposal": statuses.get(proposed.get(r.key, ""))}
                for r in result.rows]
        return super().get_context_data(
            vacancy=self.vacancy, result=result, rows=rows, run=run,
            no_occupation=result.state == NO_OCCUPATION,
            exclusions=[(exclusion_label(code), n) for code, n in result.exclusion_counts],
            show_excluded=show_excluded, show_special=show_special, errors=self.errors,
            can_propose=self.vacancy.status == "open" and result.state != NO_OCCUPATION,
            vacancy_url=optional_url("vacancies:vacancy_detail", pk=self.vacancy.pk),
            **kwargs)


# --- vacancies for a participant --------------------------------------------------------------


class ParticipantVacanciesView(ScopedParticipantMixin, TemplateView):
    """Open vacancies and internships ranked for one participant, with the reasons."""

    capability = Capability.MATCH
    template_name = "matching/participant_vacancies.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        p = self.participant
        show_special = self.has_capability(Capability.VIEW_SPECIAL_CATEGORY)
        result = vacancies_for_participant(p, show_special=show_special)
        log_access(self.request, p, "matching: vacancies for participant",
                   special_shown=show_special)
        proposals = list(Proposal.objects.filter(participant=p)
                         .select_related("vacancy", "proposed_by").order_by("-created_at"))
        return super().get_context_data(
            participant=p, result=result, proposals=proposals,
            no_assessment=result.state == NO_ASSESSMENT,
            assess_url=optional_url("assessments:assessment_add", pk=p.pk)
            if self.has_capability(Capability.ASSESS) else None,
            **kwargs)


# --- proposals --------------------------------------------------------------------------------


def proposals_in_scope(user: Any) -> QuerySet[Proposal]:
    """Proposals of people the user may list, at the centres where they match."""
    return scoped(Proposal.objects.all(), "participant", user, listing=True)


class ProposalListView(AccessMixin, ListView):
    """Proposals of the user's participants: all, mine, or for one vacancy."""

    capability = Capability.MATCH
    template_name = "matching/proposal_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Proposal]:
        qs = proposals_in_scope(self.request.user).select_related(
            "participant", "vacancy", "vacancy__employer", "proposed_by")
        params = self.request.GET
        self.vacancy = None
        vacancy = params.get("lediga_jobb", "")
        if vacancy:
            if not (vacancy.isdigit() and len(vacancy) < 19):
                raise Http404
            self.vacancy = get_vacancy(int(vacancy))
            qs = qs.filter(vacancy=self.vacancy)
        self.mine = params.get("mina") == "1"
        if self.mine:
            qs = qs.filter(proposed_by=self.request.user)
        self.status = params.get("status", "")
        if self.status == "oppna":
            qs = qs.filter(status__in=[s.value for s in actions.PROGRESSION[:3]])
        elif self.status in ProposalStatus.values:
            qs = qs.filter(status=self.status)
        return qs.order_by("-updated_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        page = list(context["page_obj"].object_list)
        show_special = special_for_pool(self.request.user)
        for p in page:
            p.shown_score = display_score(p.score, p.explanation, show_special)
        log_listed(self.request, [p.participant_id for p in page], "matching: proposals",
                   special_shown=show_special)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(vacancy=self.vacancy, mine=self.mine, status=self.status,
                       statuses=ProposalStatus.choices, query_string=params.urlencode())
        return context


class OutcomeForm(VidareForm):
    status = forms.ChoiceField(label=gettext_lazy("New status"), choices=())
    on = forms.DateField(label=gettext_lazy("Date"))
    declined_by = forms.ChoiceField(label=gettext_lazy("Declined by"), required=False,
                                    choices=[("", "–"), *DeclinedBy.choices])
    decline_reason = forms.CharField(label=gettext_lazy("Reason for declining"),
                                     required=False, widget=forms.Textarea(attrs={"rows": 2}))
    placement_ends_on = forms.DateField(
        label=gettext_lazy("Placement ends on"), required=False,
        help_text=gettext_lazy("Only for hired; leave empty if open-ended."))

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ProposalStatus.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in
                                         actions.allowed_next(proposal.status)]


class ProposalDetailView(ScopedObjectMixin, ActionFormView):
    """One proposal: the explanation kept from when it was made, every step, and the form
    for the next step."""

    model = Proposal
    capability = Capability.MATCH
    select_related = ("participant", "vacancy", "vacancy__employer", "vacancy__occupation",
                      "proposed_by")
    template_name = "matching/proposal_detail.html"
    form_class = OutcomeForm

    def has_capability(self, capability: Capability) -> bool:
        return can_on_participant(self.request.user, capability, self.object.participant)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["proposal"] = self.object
        kwargs.setdefault("initial", {})["on"] = timezone.localdate()
        return kwargs

    def run_action(self, form: forms.BaseForm) -> Proposal:
        data = form.cleaned_data
        return actions.record_outcome(
            actor=self.request.user, proposal=self.object, status=data["status"],
            on=data["on"], declined_by=data.get("declined_by") or "",
            reason=data.get("decline_reason") or "",
            placement_ends_on=data.get("placement_ends_on"))

    def get_success_message(self) -> str:
        return _("The outcome is recorded: %(status)s.") % {
            "status": self.result.get_status_display()}

    def get_success_url(self) -> str:
        return reverse("matching:proposal_detail", args=[self.object.pk])

    def get_cancel_url(self) -> str:
        return reverse("matching:proposal_list")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        log_access(request, self.object.participant, "matching: proposal")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        proposal = self.object
        show_special = self.has_capability(Capability.VIEW_SPECIAL_CATEGORY)
        explainer = Explainer(show_special)
        context.update(
            proposal=proposal, participant=proposal.participant,
            reasons=explainer.summary(proposal.explanation,
                                      open_to_all=proposal.vacancy.open_to_all),
            shown_score=display_score(proposal.score, proposal.explanation, show_special),
            steps=list(ProposalStep.objects.filter(proposal=proposal).select_related("by")),
            can_record=bool(actions.allowed_next(proposal.status)),
            title=_("Proposal: %(name)s for %(vacancy)s") % {
                "name": proposal.participant.full_name, "vacancy": proposal.vacancy.title},
        )
        return context


# --- reports (counts only) --------------------------------------------------------------------


class UnmetNeedsView(AccessMixin, TemplateView):
    """Recruitment needs and open vacancies no participant is eligible for, by occupation,
    with the requirement that excludes the most people; and the outcomes of proposals."""

    template_name = "matching/unmet_needs.html"

    def check_access(self) -> None:
        user = self.request.user
        if not (user.can(Capability.MANAGE_EMPLOYERS) or user.can(Capability.VIEW_STATISTICS)):
            raise PermissionDenied

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        report = reports.unmet_needs(self.request.user)
        outcomes = reports.proposal_outcomes(
            reports.proposals_for_statistics(self.request.user))
        return super().get_context_data(report=report, outcomes=outcomes, **kwargs)


class FairnessAuditView(AccessMixin, TemplateView):
    """For each matching run and each vacancy's proposals: the share of each target group
    among those on the list versus the eligible pool. Cells under five people suppressed."""

    capability = Capability.VIEW_FAIRNESS_AUDIT
    template_name = "matching/fairness_audit.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            audit=fairness.audit(user),
            outcomes=reports.proposal_outcomes(reports.proposals_for_statistics(user)),
            minimum=fairness.MIN_CELL, **kwargs)

