"""The adapter: candidate profiles from the latest assessment, the pool a user may match,
vacancy profiles, and a fixed number of queries whatever the number of people."""

from __future__ import annotations

from datetime import date

from vidare.access.models import Membership
from vidare.assessments.actions import record_assessment
from vidare.matching.profiles import (
    candidate_pool,
    need_profile,
    participant_profile,
    pool_queryset,
    vacancy_profile,
)
from vidare.people.models import Participant

from .conftest import TODAY, add_person


def test_profile_holds_the_latest_assessment_and_nothing_personal(m):
    # A second version changes the profile; the first is no longer read.
    record_assessment(actor=m.coach, participant=m.bo, assessed_on=date(2026, 2, 1),
                      swedish_level="sfi_d", skills=["  Truckkort", "truckkort", "Kassa"],
                      work_capacity_percent=75, commute="kommun",
                      work_experiences=[{"occupation": "4322", "years": 1.5},
                                        {"occupation": "4322", "years": 1}],
                      desired_occupations=["4322", "9111"], interest_fields=["Transport"],
                      available_from=date(2026, 4, 1), home_municipality="1480",
                      adaptation_needs=["deltid"], today=TODAY)
    profile = participant_profile(m.bo)
    assert profile.key == m.bo.pk
    assert profile.experience == {"4322": 2.5}
    assert profile.skills == {"truckkort", "kassa"}
    assert profile.driving_licences == frozenset()
    assert profile.desired_occupations == {"4322", "9111"}
    assert profile.interest_fields == {"Transport"}
    assert profile.swedish_rank == 4  # sfi_d
    assert profile.work_capacity_percent == 75
    assert profile.available_from == date(2026, 4, 1)
    assert (profile.home_municipality, profile.home_county, profile.commute) == (
        "1480", "14", "kommun")
    assert profile.adaptation_needs == {"deltid"}
    # By construction the profile has no personal attributes at all.
    assert not {"age", "gender", "birth_date", "birth_region", "barriers", "health",
                "protected_identity"} & set(vars(profile))


def test_pool_is_the_users_centres_people_and_lists_those_without_assessment(m):
    pool = candidate_pool(m.broker)
    assert set(pool.names) == {m.amina.pk, m.bo.pk, m.cecilia.pk, m.dan.pk}
    assert {c.key for c in pool.profiles} == {m.amina.pk, m.bo.pk, m.cecilia.pk}
    assert pool.missing == [(m.dan.pk, "Dan Okartlagd")]
    # Angered's broker would see Eva only; the analyst matches nobody (no names).
    assert candidate_pool(m.w.users["analyst"]).size == 0
    assert candidate_pool(m.w.users["syv_h"]).size == 0  # no MATCH
    # For counts only, the analyst's pool is the whole municipality.
    assert candidate_pool(m.w.users["analyst"], aggregate=True).size == 5


def test_pool_leaves_out_protected_restricted_and_exited_people(m):
    from vidare.enrolments.actions import record_exit

    Participant.objects.filter(pk=m.amina.pk).update(protected_identity=True)
    Participant.objects.filter(pk=m.bo.pk).update(restricted=True)
    record_exit(actor=m.coach, enrolment=m.cecilia.enrolments.get(),
                exit_date=date(2026, 2, 1), reason="flyttat")
    assert set(pool_queryset(m.broker).values_list("pk", flat=True)) == {m.dan.pk}
    # Named staff of a protected identity find the person.
    m.amina.protected_identity_staff.add(m.broker)
    assert m.amina.pk in set(pool_queryset(m.broker).values_list("pk", flat=True))


def test_home_municipality_falls_back_to_the_centre(m):
    from vidare.codelists.models import Municipality

    m.w.hisingen.municipality = Municipality.objects.get(code="1480")
    m.w.hisingen.save()
    p = add_person(m.w, "Ida", "Utanadress", municipality=None, experiences={"9111": 1})
    profile = next(c for c in candidate_pool(m.broker).profiles if c.key == p.pk)
    assert (profile.home_municipality, profile.home_county) == ("1480", "14")


def test_a_fixed_number_of_queries_whatever_the_number_of_people(m, django_assert_num_queries):
    candidate_pool(m.broker, with_groups=True)  # warm caches (memberships, code lists)
    with django_assert_num_queries(7):
        small = candidate_pool(m.broker, with_groups=True)
    for i in range(6):
        add_person(m.w, f"Extra{i}", "Personsson", experiences={"9111": i, "5321": 1},
                   skills=["Städteknik"], licences=["B", "C"], desired=["9111"])
    with django_assert_num_queries(7):
        big = candidate_pool(m.broker, with_groups=True)
    assert big.size == small.size + 6
    assert len(big.groups) == big.size


def test_vacancy_profile(m):
    from vidare.vacancies.actions import update_vacancy

    update_vacancy(actor=None, vacancy=m.cleaner, min_swedish_level="sfi_c",
                   required_skills=["  Städteknik ", "Svenska  Språket"], extent_percent=50,
                   extent_adaptable=True, start_date=date(2026, 4, 1), open_to_all=True)
    v = vacancy_profile(m.cleaner)
    assert v.key == m.cleaner.pk and v.ssyk == "9111"
    assert v.occupation_field == "Sanering och renhållning"
    assert v.required_skills == {"städteknik", "svenska språket"}
    assert v.merit_skills == {"maskinstädning"}
    assert v.driving_licences == {"B"}
    assert v.min_swedish_rank == 3
    assert (v.extent_percent, v.extent_adaptable, v.start) == (50, True, date(2026, 4, 1))
    assert (v.municipality, v.county) == ("1480", "14")
    assert v.adaptations_offered == {"lugn_miljo", "handledare"} and v.open_to_all
    # Without an occupation there is nothing to match on: an explicit None, not a guess.
    assert vacancy_profile(m.no_occupation).ssyk is None
    assert vacancy_profile(m.no_occupation).min_swedish_rank == 0


def test_need_profile(m):
    from vidare.employers.actions import add_need

    need = add_need(actor=None, employer=m.employer, occupation="7231", number=2,
                    needed_from=date(2026, 5, 1), can_adapt=True)
    v = need_profile(need)
    assert (v.ssyk, v.extent_adaptable, v.start, v.required_skills) == (
        "7231", True, date(2026, 5, 1), frozenset())


def test_memberships_of_several_centres_pool_both(m):
    Membership.objects.create(user=m.broker, role="jobbmaklare", centre=m.w.angered)
    m.broker.refresh_from_db()
    m.broker.__dict__.pop("memberships_cached", None)
    assert m.other.pk in candidate_pool(m.broker).names
