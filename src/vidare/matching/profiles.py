"""The adapter between the database and the matching engine (vidare.engines.matching).

`candidate_pool(user)` reads the latest competence mapping (kartläggning) of every
participant the user may match and turns each into a CandidateProfile; `vacancy_profile`
does the same for a vacancy, `need_profile` for a recruitment need. The engine never sees
a model, and these functions read only the columns the profiles hold: age, gender, region
of birth, health, disability and protected identity are never loaded, so they cannot
influence a score.

The pool of a user: participants with an open (active or paused) enrolment at a centre
where the user holds MATCH, visible to the user as in a list (`visible_condition(...,
listing=True)`: a protected identity only for their named staff), and not under restricted
processing. People in the pool without any assessment cannot be matched; they are counted
and listed ("saknar kartläggning"), never dropped silently.

The cost is a fixed number of queries whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from vidare.access.roles import Capability
from vidare.assessments.models import Assessment, SwedishLevel, WorkExperience
from vidare.codelists.choices import Commute
from vidare.engines.matching import CandidateProfile, ScoringContext, VacancyProfile
from vidare.enrolments.models import Enrolment, EnrolmentStatus
from vidare.people.models import Participant
from vidare.people.scoping import NOTHING, visible_condition

if TYPE_CHECKING:
    from vidare.access.models import User

OPEN_ENROLMENT = (EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED)
_RANK = {level: SwedishLevel.rank(level) for level in SwedishLevel.values}


def normalise_skill(text: str) -> str:
    """The form skills are compared in: whitespace collapsed, case folded."""
    return " ".join(str(text).split()).casefold()


def normalise_skills(values: Iterable[Any]) -> frozenset[str]:
    return frozenset(s for s in (normalise_skill(v) for v in values or ()) if s)


@dataclass
class CandidatePool:
    """The people a user may match: profiles of those with an assessment, and the others."""

    profiles: list[CandidateProfile]
    # participant id -> display name, for everyone in the pool (with or without assessment)
    names: dict[int, str]
    # participants without any assessment: (id, name), by name
    missing: list[tuple[int, str]]
    # participant id -> target-group codes of their open enrolments at the pool's centres
    groups: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.names)

    def by_key(self) -> dict[int, CandidateProfile]:
        return {c.key: c for c in self.profiles}

    @cached_property
    def context(self) -> ScoringContext:
        """The skill rarity of the pool, as MatchingIndex computes it for these people."""
        return ScoringContext.from_candidates(self.profiles)


def _match_centres(user: User, aggregate: bool) -> set[int] | None:
    """Centres whose participants make up the pool (None: every centre)."""
    centres = user.centre_ids_with(Capability.MATCH)
    if aggregate:
        stats = user.centre_ids_with(Capability.VIEW_STATISTICS)
        if centres is None or stats is None:
            return None
        centres = centres | stats
    return centres


def _open_enrolments(centres: set[int] | None) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.filter(status__in=OPEN_ENROLMENT)
    return qs if centres is None else qs.filter(centre_id__in=centres)


def pool_queryset(user: User, *, aggregate: bool = False) -> QuerySet[Participant]:
    """The participants `user` may match. With `aggregate`, for reports that show counts
    only (unmet needs): the participants of every centre where the user holds MATCH or
    VIEW_STATISTICS, which for the analyst is the whole municipality."""
    if not (user.is_authenticated and user.is_active):
        return Participant.objects.none()
    centres = _match_centres(user, aggregate)
    if centres is not None and not centres:
        return Participant.objects.none()
    enrolled = _open_enrolments(centres).filter(participant=OuterRef("pk"))
    qs = Participant.objects.filter(Exists(enrolled), restricted=False,
                                    deidentified_on__isnull=True)
    if not aggregate:
        condition = visible_condition(user, listing=True)
        if condition == NOTHING:
            return Participant.objects.none()
        qs = qs.filter(condition)
    return qs


def _latest_assessments(pool: QuerySet[Participant]) -> QuerySet[Assessment]:
    newer = Assessment.objects.filter(participant=OuterRef("participant"),
                                      version__gt=OuterRef("version"))
    return Assessment.objects.filter(participant__in=pool.values("pk")).filter(~Exists(newer))


def candidate_pool(user: User, *, aggregate: bool = False,
                   participants: Iterable[int] | None = None,
                   with_groups: bool = False) -> CandidatePool:
    """Profiles of the user's pool (optionally narrowed to `participants` ids). Six
    queries, seven `with_groups`, whatever the number of people."""
    pool = pool_queryset(user, aggregate=aggregate)
    if participants is not None:
        pool = pool.filter(pk__in=list(participants))
    return build_pool(pool, _match_centres(user, aggregate), with_groups=with_groups)


def participant_profile(participant: Participant) -> CandidateProfile | None:
    """The profile of one participant whose page the caller may already show (None: no
    assessment)."""
    pool = build_pool(Participant.objects.filter(pk=participant.pk), None)
    return pool.profiles[0] if pool.profiles else None


def build_pool(pool: QuerySet[Participant], centres: set[int] | None, *,
               with_groups: bool = False) -> CandidatePool:
    """Profiles of the participants in `pool` from their latest assessments; `centres`:
    whose open enrolments give the fallback home municipality and the target groups."""
    people = list(pool.order_by("last_name", "first_name", "pk").values_list(
        "pk", "first_name", "last_name"))
    names = {pk: f"{first} {last}".strip() for pk, first, last in people}
    # Where the person lives when the assessment does not say: the municipality of the
    # centre of their latest open enrolment (the unit serves its own residents). One query
    # for everyone; a correlated subquery per person is slow on SQLite.
    place: dict[int, tuple[str | None, str | None]] = {}
    for pid, municipality, county in (
            _open_enrolments(centres).filter(participant__in=pool.values("pk"))
            .order_by("participant_id", "start_date", "pk")
            .values_list("participant_id", "centre__municipality__code",
                         "centre__municipality__county_code")):
        place[pid] = (municipality, county)  # the latest wins
    latest = _latest_assessments(pool)
    rows = list(latest.values_list(
        "pk", "participant_id", "swedish_level", "work_capacity_percent", "skills",
        "interest_fields", "available_from", "commute", "home_municipality__code",
        "home_municipality__county_code", "adaptation_needs"))
    ids = latest.values("pk")
    licences: dict[int, set[str]] = defaultdict(set)
    for aid, code in Assessment.driving_licences.through.objects.filter(
            assessment_id__in=ids).values_list("assessment_id", "drivinglicence__code"):
        licences[aid].add(code)
    desired: dict[int, set[str]] = defaultdict(set)
    for aid, code in Assessment.desired_occupations.through.objects.filter(
            assessment_id__in=ids).values_list("assessment_id", "occupation__code"):
        desired[aid].add(code)
    experience: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for aid, code, years in WorkExperience.objects.filter(assessment_id__in=ids).values_list(
            "assessment_id", "occupation__code", "years"):
        experience[aid][code] += float(years)
    profiles = []
    assessed = set()
    for (aid, pid, swedish, capacity, skills, interests, available, commute, municipality,
         county, adaptations) in rows:
        assessed.add(pid)
        if municipality is None:
            municipality, county = place.get(pid, (None, None))
        profiles.append(CandidateProfile(
            key=pid,
            experience=dict(experience.get(aid, {})),
            desired_occupations=frozenset(desired.get(aid, ())),
            interest_fields=frozenset(interests or ()),
            skills=normalise_skills(skills),
            driving_licences=frozenset(licences.get(aid, ())),
            swedish_rank=_RANK.get(swedish, 0),
            work_capacity_percent=int(capacity),
            available_from=available,
            home_municipality=municipality,
            home_county=county,
            commute=commute or Commute.MUNICIPALITY,
            adaptation_needs=frozenset(adaptations or ()),
        ))
    profiles.sort(key=lambda c: c.key)
    missing = [(pid, names[pid]) for pid, _first, _last in people if pid not in assessed]
    result = CandidatePool(profiles, names, missing)
    if with_groups:
        result.groups = target_groups(pool, centres)
    return result


def target_groups(pool: QuerySet[Participant], centres: set[int] | None,
                  ) -> dict[int, frozenset[str]]:
    """Target-group codes of each person's open enrolments at `centres` (one query)."""
    through = Enrolment.target_groups.through.objects.filter(
        enrolment__in=_open_enrolments(centres).filter(participant__in=pool.values("pk")))
    found: dict[int, set[str]] = defaultdict(set)
    for pid, code in through.values_list("enrolment__participant_id", "targetgroup__code"):
        found[pid].add(code)
    return {pid: frozenset(codes) for pid, codes in found.items()}


# --- vacancies and needs ------------------------------------------------------------------------


def vacancy_queryset(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.select_related("occupation", "municipality").prefetch_related(
        "driving_licences")


def vacancy_profile(vacancy: Any) -> VacancyProfile:
    """The engine's view of a vacancy (vacancies.Vacancy). Use `vacancy_queryset` to fetch
    many without a query each."""
    occupation = vacancy.occupation
    municipality = vacancy.municipality
    level = vacancy.min_swedish_level
    return VacancyProfile(
        key=vacancy.pk,
        ssyk=occupation.code if occupation is not None and occupation.level == 4 else None,
        occupation_field=(occupation.occupation_field_sv or None) if occupation else None,
        required_skills=normalise_skills(vacancy.required_skills),
        merit_skills=normalise_skills(vacancy.merit_skills),
        driving_licences=frozenset(d.code for d in vacancy.driving_licences.all()),
        min_swedish_rank=_RANK.get(level, 0) if level else 0,
        extent_percent=int(vacancy.extent_percent or 100),
        extent_adaptable=bool(vacancy.extent_adaptable),
        start=vacancy.start_date,
        municipality=municipality.code if municipality is not None else None,
        county=municipality.county_code if municipality is not None else None,
        adaptations_offered=frozenset(vacancy.adaptations_offered or ()),
        open_to_all=bool(vacancy.open_to_all),
    )


def need_profile(need: Any, key: int | None = None) -> VacancyProfile:
    """A recruitment need (employers.RecruitmentNeed) as a vacancy without skill, licence or
    language requirements: full time, adaptable if the employer can adapt, at the
    employer's municipality, from `needed_from`."""
    occupation = need.occupation
    municipality = need.employer.municipality if need.employer_id else None
    return VacancyProfile(
        key=need.pk if key is None else key,
        ssyk=occupation.code if occupation is not None and occupation.level == 4 else None,
        occupation_field=(occupation.occupation_field_sv or None) if occupation else None,
        required_skills=frozenset(), merit_skills=frozenset(), driving_licences=frozenset(),
        min_swedish_rank=0, extent_percent=100, extent_adaptable=bool(need.can_adapt),
        start=need.needed_from,
        municipality=municipality.code if municipality is not None else None,
        county=municipality.county_code if municipality is not None else None,
        adaptations_offered=frozenset(),
        open_to_all=False,
    )


def open_vacancies(today: date | None = None) -> QuerySet[Any]:
    """Open vacancies whose deadline has not passed."""
    from django.utils import timezone

    from vidare.vacancies.models import Vacancy

    today = today or timezone.localdate()
    return vacancy_queryset(Vacancy.objects.filter(status="open").filter(
        Q(deadline__isnull=True) | Q(deadline__gte=today)))
