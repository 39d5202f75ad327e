"""Matching runs, proposals and their outcomes. The only code that writes these rows.

* `run_matching` ranks the candidates for a vacancy among the people the user may match
  and records a MatchingRun (counts and target-group composition only).
* `propose` records that a jobbmäklare proposes people for a vacancy: a person decides,
  the engine's score and explanation are kept as they were at that moment.
* `record_outcome` moves a proposal on (presented, interview, hired) or ends it (declined,
  by whom and why); "hired" records the placement with the employer
  (employers.actions.record_placement).

A participant the user may not match (outside their centres, a protected identity of
someone else's, no open enrolment) reads as unknown, as if the id did not exist.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vidare.access.roles import Capability
from vidare.core.actions import ensure_not_restricted, errors, require, save_validated
from vidare.core.views import can_on_participant
from vidare.people.models import Participant

from .explain import Explainer, snapshot
from .models import (
    FINAL,
    OPEN_STATUSES,
    PROGRESSION,
    DeclinedBy,
    MatchingRun,
    Proposal,
    ProposalStatus,
    ProposalStep,
)
from .profiles import CandidatePool, candidate_pool, vacancy_profile
from .services import TOP, CandidateResult, candidates_for_vacancy, explain_in_pool

if TYPE_CHECKING:
    from vidare.access.models import User

# The kind of placement a hire on each kind of vacancy becomes.
PLACEMENT_KIND = {
    "jobb": "anstallning", "sommarvikariat": "sommarjobb", "praktik": "praktik",
    "resursjobb": "subventionerad", "arbetsmarknadsanstallning": "subventionerad",
    "breddad_rekrytering": "subventionerad",
}


def _require_open(vacancy: Any) -> None:
    if vacancy.status != "open":
        raise errors(vacancy=(_("The vacancy is not open (%(status)s); nobody can be "
                                "proposed for it.") % {"status": vacancy.get_status_display()},
                              "vacancy_not_open"))


@transaction.atomic
def run_matching(*, actor: User, vacancy: Any, top: int = TOP, with_excluded: bool = False,
                 show_special: bool = False, today: date | None = None,
                 pool: CandidatePool | None = None) -> tuple[MatchingRun, CandidateResult]:
    """Rank the candidates for `vacancy` and record the run for the fairness audit.
    `pool`: the actor's `candidate_pool(actor, with_groups=True)`, when a batch job runs
    several vacancies (built here otherwise)."""
    require(actor, Capability.MATCH)
    result = candidates_for_vacancy(actor, vacancy, top=top, with_excluded=with_excluded,
                                    with_groups=True, show_special=show_special, today=today,
                                    pool=pool)
    run = MatchingRun(vacancy=vacancy, run_by=actor, pool_count=result.pool_size,
                      eligible_count=result.eligible_count, proposed_count=len(result.rows),
                      group_counts=result.group_counts)
    run.save()
    return run, result


def _check_members(actor: User, pool: CandidatePool, ids: list[int]) -> None:
    """An id outside the actor's pool reads as unknown (or, for a person the actor may see
    whose processing is restricted, says so)."""
    for i, pk in enumerate(ids):
        if pk in pool.names:
            continue
        visible = Participant.objects.visible_to(actor).filter(pk=pk).first()
        if visible is not None and visible.restricted:
            ensure_not_restricted(visible)
        raise errors(**{f"participants[{i}]": (
            _("Unknown participant: %(id)s.") % {"id": pk}, "does_not_exist")})


@transaction.atomic
def propose(*, actor: User, vacancy: Any, participants: list[Participant | int],
            today: date | None = None, pool: CandidatePool | None = None) -> list[Proposal]:
    """Propose `participants` for `vacancy`. Each must be in the actor's pool, have an
    assessment, meet the vacancy's requirements and not already have an open proposal
    for it; otherwise nothing is saved. `pool`: the actor's `candidate_pool(actor)`, when
    a batch job reuses it (built here otherwise)."""
    today = today or timezone.localdate()
    require(actor, Capability.MATCH)
    if not participants:
        raise errors(participants=(_("Choose at least one participant to propose."),
                                   "required"))
    _require_open(vacancy)
    ids = []
    for i, p in enumerate(participants):
        pk = p.pk if isinstance(p, Participant) else p
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise errors(**{f"participants[{i}]": (
                _("Unknown participant: %(id)s.") % {"id": pk}, "does_not_exist")})
        if pk in ids:
            raise errors(**{f"participants[{i}]": (
                _("The participant is named twice."), "duplicate")})
        ids.append(pk)
    # The actor's whole pool: who may be proposed, and the skill rarity the scores (as the
    # candidate page shows them) depend on.
    pool = pool or candidate_pool(actor)
    _check_members(actor, pool, ids)
    v = vacancy_profile(vacancy)
    if v.ssyk is None:
        raise errors(vacancy=(_("The vacancy has no occupation: not enough information to "
                                "match. Add the occupation (SSYK) to the vacancy first."),
                              "no_occupation"))
    profiles = pool.by_key()
    assessed = [pk for pk in ids if pk in profiles]
    explained = explain_in_pool(pool, v, assessed, today) if assessed else {}
    already = set(Proposal.objects.filter(vacancy=vacancy, participant_id__in=ids,
                                          status__in=OPEN_STATUSES)
                  .values_list("participant_id", flat=True))
    explainer = Explainer(show_special=False)
    proposals = []
    for i, pk in enumerate(ids):
        field = f"participants[{i}]"
        name = pool.names[pk]
        if pk not in explained:
            raise errors(**{field: (
                _("%(name)s has no assessment (kartläggning) and cannot be matched.")
                % {"name": name}, "no_assessment")})
        if pk in already:
            raise errors(**{field: (
                _("%(name)s is already proposed for this vacancy.") % {"name": name},
                "already_proposed")})
        explanation = explained[pk]
        if not explanation.eligible:
            unmet = "; ".join(line.text for line in explainer.exclusions(explanation.exclusions))
            raise errors(**{field: (
                _("%(name)s does not meet the requirements: %(unmet)s.")
                % {"name": name, "unmet": unmet}, "not_eligible")})
        proposal = Proposal(participant_id=pk, vacancy=vacancy, proposed_by=actor,
                            status=ProposalStatus.PROPOSED, proposed_on=today,
                            status_on=today,
                            score=int(explanation.score), explanation=snapshot(explanation),
                            created_by=actor)
        save_validated(proposal, actor)
        ProposalStep.objects.create(proposal=proposal, status=ProposalStatus.PROPOSED,
                                    on=today, by=actor)
        proposals.append(proposal)
    return proposals


def allowed_next(status: str) -> list[str]:
    """The statuses a proposal in `status` may move to."""
    if status in FINAL:
        return []
    order = [s.value for s in PROGRESSION]
    return [*order[order.index(status) + 1:], ProposalStatus.DECLINED.value]


@transaction.atomic
def record_outcome(*, actor: User, proposal: Proposal, status: str, on: date,
                   declined_by: str = "", reason: str = "", placement_ends_on: date | None = None,
                   today: date | None = None) -> Proposal:
    """Move `proposal` to `status` on the day `on`. Forward only (steps may be skipped);
    declined and hired end it. Declined needs who declined; hired records the placement."""
    today = today or timezone.localdate()
    participant = proposal.participant
    if not can_on_participant(actor, Capability.MATCH, participant):
        raise PermissionDenied(f"{actor} may not match {participant.pk}")
    # Refuses people the actor may not see at all, like the rest of the application.
    if not Participant.objects.visible_to(actor).filter(pk=participant.pk).exists():
        raise PermissionDenied
    ensure_not_restricted(participant)
    # Lock the row: two outcomes recorded at once must not both pass the transition check.
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if status not in ProposalStatus.values:
        raise errors(status=(_("Unknown status: %(status)s.") % {"status": status},
                             "invalid_choice"))
    if status not in allowed_next(proposal.status):
        current = ProposalStatus(proposal.status).label
        if proposal.status in FINAL:
            message = _("The proposal is closed (%(current)s); its outcome cannot change.")
        else:
            message = _("A proposal that is %(current)s cannot become %(new)s: the steps go "
                        "forward only (proposed, presented, interview, hired), or end in "
                        "declined.")
        raise errors(status=(message % {"current": str(current).lower(),
                                        "new": str(ProposalStatus(status).label).lower()},
                             "invalid_transition"))
    if on > today:
        raise errors(on=(_("The date cannot be in the future."), "future"))
    if on < proposal.status_on:
        raise errors(on=(_("The date cannot be before the previous step (%(date)s).")
                         % {"date": proposal.status_on.isoformat()}, "before_previous"))
    reason = (reason or "").strip()
    if status == ProposalStatus.DECLINED:
        if declined_by not in DeclinedBy.values:
            raise errors(declined_by=(_("Say who declined: the participant, the employer or "
                                        "other."), "required"))
        if declined_by == DeclinedBy.OTHER and not reason:
            raise errors(decline_reason=(_("Give the reason when someone else declined."),
                                         "required"))
    elif declined_by:
        raise errors(declined_by=(_("Only a declined proposal says who declined."),
                                  "not_declined"))
    if status == ProposalStatus.HIRED:
        _record_placement(actor, proposal, on, placement_ends_on)
    proposal.status = status
    proposal.status_on = on
    if status == ProposalStatus.DECLINED:
        proposal.declined_by = declined_by
        proposal.decline_reason = reason
    save_validated(proposal, actor)
    ProposalStep.objects.create(proposal=proposal, status=status, on=on, by=actor,
                                declined_by=declined_by, note=reason)
    return proposal


def _record_placement(actor: User, proposal: Proposal, on: date, ends_on: date | None) -> None:
    from vidare.employers.actions import record_placement

    vacancy = proposal.vacancy
    if vacancy.employer_id is None:
        raise errors(status=(_("The vacancy has no employer, so the placement cannot be "
                               "recorded. Link the vacancy to its employer first."),
                             "no_employer"))
    record_placement(actor, vacancy.employer, proposal.participant,
                     kind=PLACEMENT_KIND.get(vacancy.kind, "anstallning"), starts_on=on,
                     ends_on=ends_on, vacancy=vacancy,
                     note=_("Hired after a proposal by %(name)s.") % {
                         "name": proposal.proposed_by or "–"})

