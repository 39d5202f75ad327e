"""Record a new version of a participant's competence mapping."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vidare.access.roles import Capability
from vidare.codelists.choices import Adaptation
from vidare.codelists.models import Municipality, Occupation
from vidare.core.actions import ensure_not_restricted, errors, require, save_validated
from vidare.enrolments.actions import touch
from vidare.enrolments.models import Enrolment, EnrolmentStatus
from vidare.people.models import Participant

from .models import Assessment, Barrier, WorkExperience

if TYPE_CHECKING:
    from vidare.access.models import User

ASSESSMENT_FIELDS = {
    "education_level", "education_abroad", "swedish_level", "skills", "work_capacity_percent",
    "interests", "goals", "adaptations_needed", "barriers", "barriers_note",
    # the matching profile
    "interest_fields", "available_from", "commute", "home_municipality", "adaptation_needs",
}


def _clean_skills(skills: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for s in skills:
        text = " ".join(str(s).split())
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return list(seen.values())


def occupation_fields() -> list[str]:
    """The occupation fields (yrkesområden) of the stored SSYK groups, sorted."""
    return sorted(set(Occupation.objects.exclude(occupation_field_sv="")
                      .values_list("occupation_field_sv", flat=True)))


def _desired_occupations(values: list[Any]) -> list[Occupation]:
    """Occupations or SSYK codes; each must be a level-4 group."""
    out: list[Occupation] = []
    for i, value in enumerate(values):
        occ = value
        if not isinstance(occ, Occupation):
            code = str(value).strip()
            occ = Occupation.objects.filter(code=code).first() if code else None
            if occ is None:
                raise errors(**{f"desired_occupations[{i}]": (
                    _("Unknown SSYK code: %(code)s") % {"code": value}, "unknown_code")})
        if occ.level != 4:
            raise errors(**{f"desired_occupations[{i}]": (
                _("Choose an occupation at SSYK level 4 (four digits)."), "ssyk_level")})
        if occ not in out:
            out.append(occ)
    return out


def _check_profile(fields: dict[str, Any]) -> None:
    """The matching profile's lists hold known codes only, each once, sorted."""
    if "adaptation_needs" in fields:
        needs = [str(a) for a in (fields.get("adaptation_needs") or [])]
        bad = [a for a in needs if a not in Adaptation.values]
        if bad:
            raise errors(adaptation_needs=(
                _("Unknown adaptation: %(code)s") % {"code": bad[0]}, "unknown_code"))
        fields["adaptation_needs"] = sorted(set(needs))
    if "interest_fields" in fields:
        wanted = [" ".join(str(f).split()) for f in (fields.get("interest_fields") or [])]
        wanted = [f for f in wanted if f]
        known = {f.casefold(): f for f in occupation_fields()}
        bad = [f for f in wanted if f.casefold() not in known]
        if bad:
            raise errors(interest_fields=(
                _("Unknown occupation field: %(name)s") % {"name": bad[0]}, "unknown_code"))
        fields["interest_fields"] = sorted({known[f.casefold()] for f in wanted})
    municipality = fields.get("home_municipality")
    if isinstance(municipality, str):
        found = Municipality.objects.filter(code=municipality.strip()).first()
        if found is None:
            raise errors(home_municipality=(
                _("Unknown municipality code: %(code)s") % {"code": municipality},
                "unknown_code"))
        fields["home_municipality"] = found


def _experiences(rows: list[dict[str, Any]]) -> list[WorkExperience]:
    out = []
    for i, row in enumerate(rows):
        occ = row.get("occupation")
        if isinstance(occ, str):
            found = Occupation.objects.filter(code=occ.strip()).first()
            if found is None:
                raise errors(**{f"work_experiences[{i}].occupation": (
                    _("Unknown SSYK code: %(code)s") % {"code": occ}, "unknown_code")})
            occ = found
        if occ is None or occ.level != 4:
            raise errors(**{f"work_experiences[{i}].occupation": (
                _("Choose an occupation at SSYK level 4 (four digits)."), "ssyk_level")})
        years = Decimal(str(row.get("years", 0)))
        if not Decimal(0) <= years <= Decimal(60):
            raise errors(**{f"work_experiences[{i}].years": (
                _("Years of experience must be between 0 and 60."), "out_of_range")})
        out.append(WorkExperience(occupation=occ, years=years,
                                  in_sweden=bool(row.get("in_sweden", False)),
                                  description=str(row.get("description", ""))[:300]))
    return out


@transaction.atomic
def record_assessment(*, actor: User, participant: Participant, assessed_on: date,
                      enrolment: Enrolment | None = None,
                      other_languages: list[Any] | None = None,
                      driving_licences: list[Any] | None = None,
                      work_experiences: list[dict[str, Any]] | None = None,
                      desired_occupations: list[Any] | None = None,
                      today: date | None = None, **fields: Any) -> Assessment:
    """Save a new version; earlier versions stay as they were."""
    today = today or timezone.localdate()
    if enrolment is None:
        enrolment = (participant.enrolments.exclude(status=EnrolmentStatus.EXITED)
                     .order_by("-start_date").first())
    if enrolment is None:
        raise errors(enrolment=(_("The participant has no current enrolment to assess within."),
                                "no_active_enrolment"))
    if enrolment.participant_id != participant.pk:
        raise errors(enrolment=(_("The enrolment belongs to another person."),
                                "wrong_participant"))
    require(actor, Capability.ASSESS, enrolment.centre_id)
    ensure_not_restricted(participant)
    if not actor.can(Capability.VIEW_SPECIAL_CATEGORY, enrolment.centre_id):
        # Nobody erases or overwrites what they are not allowed to see: the new version
        # carries the previous version's special-category values unchanged.
        previous = current_assessment(participant)
        for name in Assessment.SPECIAL_CATEGORY_FIELDS:
            fields.pop(name, None)
            if previous is not None:
                fields[name] = getattr(previous, name)
    if assessed_on > today:
        raise errors(assessed_on=(_("The assessment date cannot be in the future."), "future"))
    unknown = set(fields) - ASSESSMENT_FIELDS
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    barriers = list(fields.get("barriers") or [])
    bad = [b for b in barriers if b not in Barrier.values]
    if bad:
        raise errors(barriers=(_("Unknown barrier: %(code)s") % {"code": bad[0]},
                               "unknown_code"))
    _check_profile(fields)
    desired = (None if desired_occupations is None
               else _desired_occupations(list(desired_occupations)))
    # Lock the participant row so two versions cannot get the same number.
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    version = (participant.assessments.aggregate(m=Max("version"))["m"] or 0) + 1
    assessment = Assessment(participant=participant, enrolment=enrolment, version=version,
                            assessed_on=assessed_on, assessed_by=actor, created_by=actor)
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.skills = _clean_skills(list(fields.get("skills") or []))
    assessment.barriers = sorted(set(barriers))
    experiences = _experiences(work_experiences or [])
    save_validated(assessment, actor)
    for exp in experiences:
        exp.assessment = assessment
        exp.full_clean()
    WorkExperience.objects.bulk_create(experiences)
    if other_languages is not None:
        assessment.other_languages.set(other_languages)
    if driving_licences is not None:
        assessment.driving_licences.set(driving_licences)
    if desired is not None:
        assessment.desired_occupations.set(desired)
    touch(enrolment, assessed_on)
    return assessment


def current_assessment(participant: Participant) -> Assessment | None:
    return participant.assessments.order_by("-version").first()
