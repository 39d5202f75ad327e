"""Matching runs, proposals and outcomes: the rules, and bad input answered clearly."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vidare.enrolments.timeline import build_timeline
from vidare.matching.actions import allowed_next, propose, record_outcome, run_matching
from vidare.matching.models import MatchingRun, Proposal, ProposalStep
from vidare.people.models import Participant


def codes(exc: ValidationError) -> dict[str, str]:
    return {field: errs[0].code for field, errs in exc.error_dict.items()}


def test_a_run_records_counts_and_target_groups_never_who(m):
    run, result = run_matching(actor=m.broker, vacancy=m.cleaner)
    assert [r.key for r in result.rows] == [m.amina.pk, m.bo.pk]
    assert (run.pool_count, run.eligible_count, run.proposed_count) == (4, 2, 2)
    assert run.group_counts["eligible"] == {"forsorjningsstod": 1, "utrikesfodd": 1}
    assert run.group_counts["pool"] == {"forsorjningsstod": 3, "utrikesfodd": 1}
    # Aggregates only: group codes and counts, nothing that names a person.
    assert set(run.group_counts) == {"pool", "eligible", "top"}
    codes_seen = {code for counts in run.group_counts.values() for code in counts}
    assert codes_seen <= set(m.w.tg) | {""}
    assert MatchingRun.objects.count() == 1


def test_a_run_on_a_vacancy_without_occupation_is_an_explicit_state(m):
    run, result = run_matching(actor=m.broker, vacancy=m.no_occupation)
    assert result.state == "no_occupation" and result.rows == []
    assert result.exclusion_counts == [("no_occupation", 3)]
    assert result.missing == [(m.dan.pk, "Dan Okartlagd")]
    assert run.eligible_count == 0


def test_only_roles_that_match_may_run_or_propose(m):
    with pytest.raises(PermissionDenied):
        run_matching(actor=m.w.users["syv_h"], vacancy=m.cleaner)
    with pytest.raises(PermissionDenied):
        propose(actor=m.w.users["analyst"], vacancy=m.cleaner, participants=[m.amina])


def test_propose_keeps_score_and_explanation_without_special_details(m):
    [proposal] = propose(actor=m.broker, vacancy=m.cleaner, participants=[m.amina.pk])
    assert proposal.status == "foreslagen" and proposal.proposed_on == timezone.localdate()
    assert proposal.score == 211  # 160 experience + 30 wish + 20 skill + 1 adaptation
    reasons = {r["code"]: r for r in proposal.explanation["reasons"]}
    assert reasons["experience"]["params"] == {"ssyk": "9111", "years": 3.0}
    assert reasons["adaptation"]["params"] == {}  # the count of needs is not kept
    assert "lugn_miljo" not in str(proposal.explanation)
    assert list(proposal.steps.values_list("status", flat=True)) == ["foreslagen"]
    assert proposal.history.count() == 1


def test_propose_refuses_bad_input_and_saves_nothing(m):
    cases = [
        ([m.other.pk], "does_not_exist"),        # another centre: reads as unknown
        ([987654321], "does_not_exist"),         # no such person
        (["abc"], "does_not_exist"),
        ([m.dan.pk], "no_assessment"),
        ([m.cecilia.pk], "not_eligible"),        # lacks the B licence
        ([m.amina.pk, m.amina.pk], "duplicate"),
    ]
    for ids, code in cases:
        with pytest.raises(ValidationError) as caught:
            propose(actor=m.broker, vacancy=m.cleaner, participants=ids)
        assert code in codes(caught.value).values(), (ids, caught.value)
    with pytest.raises(ValidationError) as caught:
        propose(actor=m.broker, vacancy=m.cleaner, participants=[m.cecilia.pk])
    assert "driving licence" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        propose(actor=m.broker, vacancy=m.cleaner, participants=[])
    assert codes(caught.value) == {"participants": "required"}
    with pytest.raises(ValidationError) as caught:
        propose(actor=m.broker, vacancy=m.no_occupation, participants=[m.amina.pk])
    assert codes(caught.value) == {"vacancy": "no_occupation"}
    # One bad person in a list: nobody is proposed.
    with pytest.raises(ValidationError):
        propose(actor=m.broker, vacancy=m.cleaner, participants=[m.amina.pk, m.dan.pk])
    assert Proposal.objects.count() == 0


def test_propose_refuses_a_second_open_proposal_and_a_closed_vacancy(m):
    from vidare.vacancies.actions import close_vacancy

    propose(actor=m.broker, vacancy=m.cleaner, participants=[m.amina.pk])
    with pytest.raises(ValidationError) as caught:
        propose(actor=m.broker, vacancy=m.cleaner, participants=[m.amina.pk])
    assert codes(caught.value) == {"participants[0]": "already_proposed"}
    close_vacancy(actor=None, vacancy=m.cleaner)
    with pytest.raises(ValidationError) as caught:
        propose(actor=m.broker, vacancy=m.cleaner, participants=[m.bo.pk])
    assert codes(caught.value) == {"vacancy": "vacancy_not_open"}


def test_restricted_processing_is_said_so(m):
    Participant.objects.filter(pk=m.amina.pk).update(restricted=True)
    with pytest.raises(ValidationError) as caught:
        propose(actor=m.broker, vacancy=m.cleaner, participants=[m.amina.pk])
    assert codes(caught.value) == {"participant": "restricted"}


@pytest.fixture
def proposal(m):
    return propose(actor=m.broker, vacancy=m.cleaner, participants=[m.amina.pk],
                   today=date(2026, 3, 2))[0]


def test_outcomes_go_forward_and_hired_records_the_placement(m, proposal):
    from vidare.employers.models import Placement

    day = date(2026, 3, 2)
    assert allowed_next("foreslagen") == ["presenterad", "intervju", "anstalld", "avbojd"]
    record_outcome(actor=m.broker, proposal=proposal, status="presenterad", on=day)
    record_outcome(actor=m.broker, proposal=proposal, status="intervju",
                   on=day + timedelta(days=3), today=day + timedelta(days=10))
    record_outcome(actor=m.broker, proposal=proposal, status="anstalld",
                   on=day + timedelta(days=9), today=day + timedelta(days=10))
    proposal.refresh_from_db()
    assert (proposal.status, proposal.status_on) == ("anstalld", day + timedelta(days=9))
    assert list(proposal.steps.values_list("status", "on")) == [
        ("foreslagen", day), ("presenterad", day), ("intervju", day + timedelta(days=3)),
        ("anstalld", day + timedelta(days=9))]
    placement = Placement.objects.get(participant=m.amina)
    assert (placement.employer, placement.vacancy, placement.kind, placement.starts_on) == (
        m.employer, m.cleaner, "anstallning", day + timedelta(days=9))
    assert allowed_next("anstalld") == []


@pytest.mark.parametrize(("steps", "status", "code"), [
    ([], "foreslagen", "invalid_transition"),
    (["intervju"], "presenterad", "invalid_transition"),   # backwards
    (["avbojd"], "presenterad", "invalid_transition"),     # closed
    ([], "hemlig", "invalid_choice"),
])
def test_invalid_transitions_are_refused_with_a_clear_message(m, proposal, steps, status, code):
    day = date(2026, 3, 2)
    for step in steps:
        record_outcome(actor=m.broker, proposal=proposal, status=step, on=day,
                       declined_by="arbetsgivare" if step == "avbojd" else "")
    before = ProposalStep.objects.count()
    with pytest.raises(ValidationError) as caught:
        record_outcome(actor=m.broker, proposal=proposal, status=status, on=day)
    assert codes(caught.value) == {"status": code}
    assert str(caught.value.error_dict["status"][0].message)
    assert ProposalStep.objects.count() == before


def test_declined_says_who_and_dates_are_checked(m, proposal):
    day = date(2026, 3, 2)
    bad = [
        ({"status": "avbojd", "on": day}, {"declined_by": "required"}),
        ({"status": "avbojd", "on": day, "declined_by": "annat"}, {"decline_reason": "required"}),
        ({"status": "presenterad", "on": day, "declined_by": "deltagare"},
         {"declined_by": "not_declined"}),
        ({"status": "presenterad", "on": timezone.localdate() + timedelta(days=1)},
         {"on": "future"}),
        ({"status": "presenterad", "on": day - timedelta(days=1)}, {"on": "before_previous"}),
    ]
    for data, expected in bad:
        with pytest.raises(ValidationError) as caught:
            record_outcome(actor=m.broker, proposal=proposal, **data)
        assert codes(caught.value) == expected, data
    record_outcome(actor=m.broker, proposal=proposal, status="avbojd", on=day,
                   declined_by="deltagare", reason="Har fått annat arbete")
    proposal.refresh_from_db()
    assert (proposal.declined_by, proposal.decline_reason) == ("deltagare",
                                                               "Har fått annat arbete")


def test_hired_needs_an_employer(m):
    from vidare.vacancies.actions import update_vacancy

    update_vacancy(actor=None, vacancy=m.cleaner, employer=None)
    [p] = propose(actor=m.broker, vacancy=m.cleaner, participants=[m.amina.pk])
    with pytest.raises(ValidationError) as caught:
        record_outcome(actor=m.broker, proposal=p, status="anstalld", on=p.proposed_on)
    assert codes(caught.value) == {"status": "no_employer"}


def test_outcomes_by_someone_outside_the_centre_are_refused(m, proposal):
    with pytest.raises(PermissionDenied):
        record_outcome(actor=m.w.users["coach_a"], proposal=proposal, status="presenterad",
                       on=date(2026, 3, 2))


def test_outcomes_feed_the_timeline(m, proposal):
    day = date(2026, 3, 2)
    record_outcome(actor=m.broker, proposal=proposal, status="intervju", on=day)
    record_outcome(actor=m.broker, proposal=proposal, status="anstalld", on=day)
    events = [(e.kind, e.title) for e in build_timeline(m.amina)
              if e.kind in ("proposal", "placement")]
    assert events == [("proposal", "Proposed for a vacancy"),
                      ("proposal", "Interview with the employer"),
                      ("proposal", "Hired after a proposal"),
                      ("placement", "Placement started")]
    detail = " ".join(e.detail for e in build_timeline(m.amina))
    assert "Lokalvårdare" in detail and "Exempel Städ AB" in detail
