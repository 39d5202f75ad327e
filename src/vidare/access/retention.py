"""Gallring: remove personal data a set time after the person's last contact with the unit,
keeping only de-identified rows that statistics need.

Who is due: nobody is still enrolled or waiting on an open referral; the last exit (or the
closing of a referral that never led anywhere) lies on or before the cutoff, which is
settings.VIDARE_RETENTION_YEARS years before today; processing is not restricted (GDPR
art. 18: the data must be kept while a dispute is settled); not done before.

What stays: the participant row under a token instead of the identity number, with birth
year, gender and birth region (statistics by group); enrolments with their dates and
target groups; exits with reason, date, occupation and extent; referrals with source,
centre, dates, status and closing reason; coded assessment fields; the kind, dates, status
and hours of plans, goals, interventions and attendance. Everything else goes: names,
contact details, every free text, special-category data, contacts before enrolment,
consents, and every history row of every record about the person (the history holds the
old values). The access log stays as it is: it names the person only by id.

Which rows belong to a person is decided in one place, vidare.access.extract.record_ids,
the same the register extract uses.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation

from vidare.assessments.models import Assessment, WorkExperience
from vidare.core.dates import add_months
from vidare.employers.models import Placement
from vidare.enrolments.models import Enrolment, EnrolmentStatus, Exit
from vidare.matching.models import Proposal, ProposalStep
from vidare.people.models import (
    Consent,
    Participant,
    Referral,
    ReferralContact,
    ReferralStatus,
)
from vidare.plans.models import Attendance, GoalKind, Intervention, InterventionKind, Plan, PlanGoal

from .extract import KINDS, record_ids
from .models import RetentionRun

DEIDENTIFIED_PREFIX = "GALLRAD-"  # identity_number becomes this plus the row id

# What gallring does to each kind of record. Free-text and personal columns are blanked;
# a required text becomes the label of the record's kind.
BLANK: dict[type[models.Model], dict[str, Any]] = {
    Participant: {"first_name": "", "last_name": "", "birth_date": None, "address": "",
                  "postal_code": "", "city": "", "phone": "", "email": "",
                  "protected_identity": False, "restricted_reason": ""},
    Referral: {"referrer_name": "", "referrer_organisation": "", "referrer_contact": "",
               "referrer_user": None, "reason": "", "close_note": ""},
    Exit: {"employer_name": "", "note": ""},
    Assessment: {"skills": [], "interests": "", "goals": "", "adaptations_needed": "",
                 "barriers": [], "barriers_note": "", "adaptation_needs": [],
                 "interest_fields": []},
    WorkExperience: {"description": ""},
    Plan: {"summary": ""},
    PlanGoal: {},  # description → kind label
    Intervention: {"provider": "", "note": ""},  # title → kind label
    Attendance: {"note": ""},
    Proposal: {"decline_reason": "", "explanation": {}},
    ProposalStep: {"note": ""},
    Placement: {"note": ""},
}
DELETE = (ReferralContact, Consent)
KEEP = (Enrolment,)
# Many-to-many links that describe the person rather than the episode.
CLEARED_LINKS = (Participant.languages.through, Participant.protected_identity_staff.through,
                 Assessment.other_languages.through)
LABELLED = ((PlanGoal, "description", GoalKind), (Intervention, "title", InterventionKind))


def cutoff_for(today: dt.date, years: int | None = None) -> dt.date:
    """Exits on or before this day are due (29 Feb falls back to 28 Feb)."""
    years = settings.VIDARE_RETENTION_YEARS if years is None else years
    return add_months(today, -12 * years)


def due_participants(cutoff: dt.date) -> models.QuerySet[Participant]:
    person = OuterRef("pk")
    exits = Exit.objects.filter(enrolment__participant=person)
    closed = Referral.objects.filter(participant=person, status=ReferralStatus.CLOSED,
                                     closed_on__isnull=False)
    return (Participant.objects
            .filter(deidentified_on__isnull=True, restricted=False)
            .filter(Exists(exits) | Exists(closed))
            .exclude(Exists(Enrolment.objects.filter(participant=person)
                            .exclude(status=EnrolmentStatus.EXITED)))
            .exclude(Exists(Referral.objects.filter(participant=person,
                                                    status=ReferralStatus.OPEN)))
            .exclude(Exists(exits.filter(exit_date__gt=cutoff)))
            .exclude(Exists(closed.filter(closed_on__gt=cutoff)))
            .order_by("pk"))


def _history_rows(model: type[models.Model],
                  ids: set[int]) -> list[tuple[models.QuerySet[Any], str]]:
    """The history rows of `ids`, their many-to-many history first (it refers to them)."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    if attribute is None:
        return []
    history = getattr(model, attribute).model
    rows = history._default_manager.filter(id__in=ids)
    links = [(rel.related_model._default_manager.filter(history__in=rows.values("pk")),
              rel.related_model._meta.db_table)
             for rel in history._meta.related_objects if rel.field.name == "history"]
    return [*links, (rows, history._meta.db_table)]


def plan(participant_id: int) -> tuple[dict[str, set[int]], Counter[str]]:
    """The person's rows and what gallring would do to them: {"table action": rows}."""
    ids = record_ids(participant_id)
    counts: Counter[str] = Counter()
    for kind in KINDS:
        table = kind.model._meta.db_table
        live = kind.model._default_manager.filter(pk__in=ids[kind.key]).count()
        action = ("deleted" if kind.model in DELETE else "kept" if kind.model in KEEP
                  else "de-identified")
        counts[f"{table} {action}"] += live
        for through in CLEARED_LINKS:
            if through._meta.auto_created is kind.model:
                gone = through._default_manager.filter(
                    **{f"{kind.model._meta.model_name}_id__in": ids[kind.key]}).count()
                counts[f"{through._meta.db_table} deleted"] += gone
        for rows, history_table in _history_rows(kind.model, ids[kind.key]):
            counts[f"{history_table} deleted"] += rows.count()
    return ids, +counts


def deidentify(participant_id: int, ids: dict[str, set[int]], today: dt.date) -> None:
    """Gallra one person. Bulk updates and deletes on purpose: they write no new history
    rows, and the deletes' history rows are removed with the rest at the end."""
    by_model = {kind.model: ids[kind.key] for kind in KINDS}
    for through in CLEARED_LINKS:
        owner = through._meta.auto_created
        through._default_manager.filter(
            **{f"{owner._meta.model_name}_id__in": by_model[owner]}).delete()
    for model, values in BLANK.items():
        if values:
            model._default_manager.filter(pk__in=by_model[model]).update(**values)
    with translation.override(settings.LANGUAGE_CODE):
        for model, name, kinds in LABELLED:
            for code, label in kinds.choices:
                model._default_manager.filter(pk__in=by_model[model], kind=code).update(
                    **{name: str(label)})
    Participant.objects.filter(pk=participant_id).update(
        identity_number=f"{DEIDENTIFIED_PREFIX}{participant_id}", deidentified_on=today)
    for model in DELETE:
        model._default_manager.filter(pk__in=by_model[model]).delete()
    # Last, so the history rows the deletes above have just written go too.
    for model, model_ids in by_model.items():
        for rows, _table in _history_rows(model, model_ids):
            rows.delete()


def _batches(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def run(*, username: str, dry_run: bool, today: dt.date | None = None, batch_size: int = 100,
        progress: Callable[[str], None] | None = None) -> RetentionRun:
    """Find who is due and, unless `dry_run`, gallra them, one transaction per batch.
    Every run, dry or not, is recorded as a RetentionRun (also a run that failed half way:
    the batches before the failure are done and counted)."""
    today = today or timezone.localdate()
    cutoff = cutoff_for(today)
    due = list(due_participants(cutoff).values_list("pk", flat=True))
    done: list[int] = []
    counts: Counter[str] = Counter()
    details: dict[str, Any] = {"retention_years": settings.VIDARE_RETENTION_YEARS}
    try:
        if dry_run:
            for pk in due:
                counts += plan(pk)[1]
            done = due
        else:
            for batch in _batches(due, batch_size):
                with transaction.atomic():
                    # Lock and look again: someone may have been re-enrolled meanwhile.
                    still_due = list(due_participants(cutoff).filter(pk__in=batch)
                                     .select_for_update().values_list("pk", flat=True))
                    batch_counts: Counter[str] = Counter()
                    for pk in still_due:
                        ids, planned = plan(pk)
                        deidentify(pk, ids, today)
                        batch_counts += planned
                counts += batch_counts
                done += still_due
                if progress:
                    progress(f"{len(done)}/{len(due)}")
    except Exception as exc:
        details["error"] = type(exc).__name__
        raise
    finally:
        details.update(participant_ids=done, counts=dict(sorted(counts.items())))
        retention_run = RetentionRun.objects.create(
            username=username, dry_run=dry_run, cutoff=cutoff, participants=len(done),
            details=details)
    return retention_run
