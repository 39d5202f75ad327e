"""The consent register's actions: who may record, the date rules with their codes, history,
and the day-by-day validity that every sharing check relies on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.api.conftest import counts
from vidare.people.consent import (
    NO_VALID_CONSENT,
    grant_consent,
    refusal_reason,
    require_consent,
    status_on,
    valid_consent,
    valid_on,
    withdraw_consent,
)
from vidare.people.models import Consent, Participant

pytestmark = pytest.mark.django_db

SOCIAL, REPORTING = "socialtjanst", "narvaro_status"


@pytest.fixture
def person(world):
    return world.register(actor=world.users["social"], first_name="Sara", last_name="Testsson")


def grant(world, person, actor="coach_h", **fields):
    fields.setdefault("party", SOCIAL)
    fields.setdefault("scope", REPORTING)
    fields.setdefault("given_on", date(2026, 2, 1))
    return grant_consent(actor=world.users[actor], participant=person, **fields)


def codes(exc: ValidationError) -> set[tuple[str, str]]:
    return {(field, e.code) for field, errs in exc.error_dict.items() for e in errs}


# ---- grant -----------------------------------------------------------------------------------


def test_grant_records_who_and_keeps_history(world, person, clock):
    consent = grant(world, person, expires_on=date(2027, 1, 31), note="Signed, in the file")
    consent.refresh_from_db()
    assert (consent.party, consent.scope, consent.given_on, consent.expires_on,
            consent.withdrawn_on) == (SOCIAL, REPORTING, date(2026, 2, 1), date(2027, 1, 31),
                                      None)
    assert consent.recorded_by == world.users["coach_h"]
    [row] = consent.history.all()
    assert (row.history_type, row.history_user) == ("+", world.users["coach_h"])


@pytest.mark.parametrize("fields, error", [
    ({"given_on": date(2026, 6, 16)}, ("given_on", "future")),
    ({"given_on": date(2026, 3, 1), "expires_on": date(2026, 2, 28)},
     ("expires_on", "expiry_before_given")),
    ({"party": "grannen"}, ("party", "invalid_choice")),
    ({"scope": "allt"}, ("scope", "invalid_choice")),
])
def test_grant_refuses_bad_dates_and_codes_writing_nothing(world, person, clock, fields, error):
    before = counts(Consent)
    with pytest.raises(ValidationError) as exc:
        grant(world, person, **fields)
    assert codes(exc.value) == {error}
    assert counts(Consent) == before


def test_grant_on_the_expiry_day_itself_and_today_are_fine(world, person, clock):
    consent = grant(world, person, given_on=date(2026, 6, 15), expires_on=date(2026, 6, 15))
    assert status_on(consent, date(2026, 6, 15)) == "valid"


@pytest.mark.parametrize("key", ["social", "coach_a", "syv_h", "broker_h", "analyst", "admin"])
def test_only_case_owners_at_the_persons_centre_record_consent(world, person, clock, key):
    """The referring officer may not record the consent that lets them see the person."""
    before = counts(Consent)
    with pytest.raises(PermissionDenied):
        grant(world, person, actor=key)
    assert counts(Consent) == before


def test_the_unit_manager_records_consent_too(world, person, clock):
    assert grant(world, person, actor="chief_h").recorded_by == world.users["chief_h"]


def test_no_new_consent_while_processing_is_restricted_but_withdrawal_still_works(
        world, person, clock):
    consent = grant(world, person)
    Participant.objects.filter(pk=person.pk).update(restricted=True)
    with pytest.raises(ValidationError) as exc:
        grant(world, person, party="arbetsformedlingen", scope="remiss_ut")
    assert codes(exc.value) == {("participant", "restricted")}
    withdraw_consent(actor=world.users["coach_h"], consent=consent,
                     withdrawn_on=date(2026, 6, 1))
    assert Consent.objects.get().withdrawn_on == date(2026, 6, 1)


# ---- withdraw --------------------------------------------------------------------------------


def test_withdraw_keeps_history_of_both_steps(world, person, clock):
    consent = grant(world, person)
    withdraw_consent(actor=world.users["chief_h"], consent=consent,
                     withdrawn_on=date(2026, 6, 15))
    rows = list(consent.history.order_by("history_id"))
    assert [(r.history_type, r.history_user, r.withdrawn_on) for r in rows] == [
        ("+", world.users["coach_h"], None),
        ("~", world.users["chief_h"], date(2026, 6, 15)),
    ]


@pytest.mark.parametrize("day, error", [
    (date(2026, 1, 31), ("withdrawn_on", "before_given")),
    (date(2026, 6, 16), ("withdrawn_on", "future")),
    (date(2026, 5, 1), ("withdrawn_on", "after_expiry")),
])
def test_withdraw_refuses_impossible_dates_changing_nothing(world, person, clock, day, error):
    consent = grant(world, person, expires_on=date(2026, 4, 30))
    before = counts(Consent)
    with pytest.raises(ValidationError) as exc:
        withdraw_consent(actor=world.users["coach_h"], consent=consent, withdrawn_on=day)
    assert codes(exc.value) == {error}
    assert counts(Consent) == before
    assert Consent.objects.get().withdrawn_on is None


def test_a_withdrawn_consent_cannot_be_withdrawn_again(world, person, clock):
    consent = grant(world, person)
    withdraw_consent(actor=world.users["coach_h"], consent=consent,
                     withdrawn_on=date(2026, 3, 1))
    with pytest.raises(ValidationError) as exc:
        withdraw_consent(actor=world.users["coach_h"], consent=consent,
                         withdrawn_on=date(2026, 4, 1))
    assert codes(exc.value) == {("withdrawn_on", "already_withdrawn")}
    assert "2026-03-01" in exc.value.error_dict["withdrawn_on"][0].message
    assert Consent.objects.get().withdrawn_on == date(2026, 3, 1)
    assert consent.history.count() == 2


@pytest.mark.parametrize("key", ["social", "coach_a", "syv_h"])
def test_withdraw_needs_the_same_right_as_recording(world, person, clock, key):
    consent = grant(world, person)
    with pytest.raises(PermissionDenied):
        withdraw_consent(actor=world.users[key], consent=consent,
                         withdrawn_on=date(2026, 6, 1))
    assert Consent.objects.get().withdrawn_on is None


# ---- validity, day by day --------------------------------------------------------------------


def test_valid_from_the_given_day_through_the_expiry_day(world, person, clock):
    consent = grant(world, person, given_on=date(2026, 2, 1), expires_on=date(2026, 4, 30))
    assert valid_consent(person, SOCIAL, REPORTING, on=date(2026, 1, 31)) is None
    assert valid_consent(person, SOCIAL, REPORTING, on=date(2026, 2, 1)) == consent
    assert valid_consent(person, SOCIAL, REPORTING, on=date(2026, 4, 30)) == consent
    assert valid_consent(person, SOCIAL, REPORTING, on=date(2026, 5, 1)) is None


def test_not_valid_on_the_day_it_is_withdrawn(world, person, clock):
    consent = grant(world, person)
    withdraw_consent(actor=world.users["coach_h"], consent=consent,
                     withdrawn_on=date(2026, 4, 10))
    assert valid_consent(person, SOCIAL, REPORTING, on=date(2026, 4, 9)) == consent
    assert valid_consent(person, SOCIAL, REPORTING, on=date(2026, 4, 10)) is None


def test_only_the_same_party_and_scope_count(world, person, clock):
    grant(world, person, party="arbetsformedlingen")
    grant(world, person, scope="remiss_ut")
    other = world.register()
    grant(world, other)
    assert valid_consent(person, SOCIAL, REPORTING) is None


def test_query_model_and_status_agree_on_every_day(world, person, clock):
    """The database condition (used by lists and scope), the model's is_valid_on and the
    status shown on the page must never disagree, on any day around the boundaries."""
    consents = [
        grant(world, person, given_on=date(2026, 2, 1)),
        grant(world, person, given_on=date(2026, 2, 10), expires_on=date(2026, 2, 20)),
        grant(world, person, given_on=date(2026, 2, 5), expires_on=date(2026, 3, 1)),
    ]
    withdraw_consent(actor=world.users["coach_h"], consent=consents[0],
                     withdrawn_on=date(2026, 2, 15))
    withdraw_consent(actor=world.users["coach_h"], consent=consents[2],
                     withdrawn_on=date(2026, 3, 1))
    for c in consents:
        c.refresh_from_db()
    day = date(2026, 1, 28)
    while day < date(2026, 3, 5):
        in_db = set(Consent.objects.filter(valid_on(day)).values_list("pk", flat=True))
        assert in_db == {c.pk for c in consents if c.is_valid_on(day)}, day
        assert in_db == {c.pk for c in consents if status_on(c, day) == "valid"}, day
        day += timedelta(days=1)


def test_with_several_valid_the_longest_lasting_is_used(world, person, clock):
    grant(world, person, given_on=date(2026, 1, 10), expires_on=date(2026, 12, 31))
    open_ended = grant(world, person, given_on=date(2026, 3, 1))
    assert valid_consent(person, SOCIAL, REPORTING) == open_ended


# ---- the refusal says why --------------------------------------------------------------------


def refusal(person, on=None):
    with pytest.raises(ValidationError) as exc:
        require_consent(person, SOCIAL, REPORTING, on, field="report")
    [error] = exc.value.error_dict["report"]
    assert error.code == NO_VALID_CONSENT
    assert error.message == refusal_reason(person, SOCIAL, REPORTING, on)
    return error.message


def test_refusal_names_the_person_party_and_purpose_when_there_is_none(world, person, clock):
    assert refusal(person) == ("Sara Testsson has given no consent to share with Social "
                               "services (Attendance and status reports).")


def test_refusal_gives_the_expiry_date(world, person, clock):
    grant(world, person, expires_on=date(2026, 5, 31))
    assert "expired on 2026-05-31" in refusal(person)


def test_refusal_gives_the_withdrawal_date_of_the_latest_consent(world, person, clock):
    grant(world, person, given_on=date(2026, 1, 10), expires_on=date(2026, 1, 31))
    later = grant(world, person, given_on=date(2026, 2, 1))
    withdraw_consent(actor=world.users["coach_h"], consent=later,
                     withdrawn_on=date(2026, 6, 1))
    assert "withdrawn on 2026-06-01" in refusal(person)


def test_refusal_before_the_consent_was_given(world, person, clock):
    grant(world, person, given_on=date(2026, 3, 1))
    assert "applies only from 2026-03-01" in refusal(person, on=date(2026, 2, 1))


def test_require_returns_the_valid_consent(world, person, clock):
    consent = grant(world, person)
    assert require_consent(person, SOCIAL, REPORTING) == consent
    assert refusal_reason(person, SOCIAL, REPORTING) is None
