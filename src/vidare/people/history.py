"""A participant's history: who changed what, when, with the old and the new value.

django-simple-history keeps a row per version of every tracked record. This module gathers
the versions of the participant and of everything that belongs to them (referrals and their
contacts, consents, enrolments, exits, assessments, plans and goals, interventions and
attendance), compares each version with the one before, and returns one entry per change.

Values a viewer may not see are masked, never left out silently: the special-category
fields (Participant.birth_region, Assessment.SPECIAL_CATEGORY_FIELDS) for viewers without
Capability.VIEW_SPECIAL_CATEGORY, and for a person who has or had a protected identity the
address and contact details for everyone but the named staff.

One exception, by necessity: an enrolment's special-category target groups
(TargetGroup.special_category: funktionsnedsättning, född utanför Europa ...). A field such
as birth_region belongs to everyone, so "(hidden)" says only that it changed; a target group
is something a person belongs to or not, so a mask would itself tell that they are in one.
For a viewer without the capability at the enrolment's centre these groups are therefore
taken out of both the old and the new value, as the API leaves them out of `target_groups`;
a change that touched only them shows nothing.

The cost is fixed however long the history: one query per tracked model and one per tracked
many-to-many field, whatever the number of versions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from vidare.assessments.models import Assessment, Barrier
from vidare.core.dates import SAME_CHANGE
from vidare.enrolments.models import Enrolment, Exit
from vidare.plans.models import Attendance, Intervention, Plan, PlanGoal

from .models import Consent, Participant, Referral, ReferralContact

# Bookkeeping, not something a person changed.
NOT_SHOWN = {"id", "created_at", "updated_at", "created_by", "last_activity_on"}
CONTACT_FIELDS = ("address", "postal_code", "city", "phone", "email")
SPECIAL_FIELDS: dict[type[models.Model], frozenset[str]] = {
    Participant: frozenset({"birth_region"}),
    Assessment: frozenset(Assessment.SPECIAL_CATEGORY_FIELDS),
}


@dataclass(frozen=True)
class Source:
    """A tracked model, the foreign key that ties it to its parent, and the parent."""

    model: type[models.Model]
    link: str
    parent: type[models.Model] = Participant
    label: Callable[[Any], str] = lambda record: ""


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


SOURCES: tuple[Source, ...] = (
    Source(Participant, "id"),
    Source(Referral, "participant", label=lambda r: f"{_date(r.referred_on)} {r.centre or ''}"),
    Source(ReferralContact, "referral", Referral,
           label=lambda r: f"{r.get_kind_display()} {_date(r.occurred_on)}"),
    Source(Consent, "participant",
           label=lambda r: f"{r.get_party_display()}: {r.get_scope_display()}"),
    Source(Enrolment, "participant",
           label=lambda r: f"{r.programme or ''}, {r.centre or ''} {_date(r.start_date)}"),
    Source(Exit, "enrolment", Enrolment, label=lambda r: _date(r.exit_date)),
    Source(Assessment, "participant",
           label=lambda r: f"v{r.version} {_date(r.assessed_on)}"),
    Source(Plan, "enrolment", Enrolment, label=lambda r: _date(r.established_on)),
    Source(PlanGoal, "plan", Plan, label=lambda r: r.description),
    Source(Intervention, "enrolment", Enrolment, label=lambda r: r.title),
    Source(Attendance, "intervention", Intervention,
           label=lambda r: _("%(title)s, week of %(day)s") % {
               "title": r.intervention.title if r.intervention else "",
               "day": _date(r.week_start)}),
)
_BY_MODEL = {s.model: s for s in SOURCES}
# Foreign keys that labels and str() of shown relations read, fetched with the version.
_EXTRA_RELATED = {Referral: ("centre",), Enrolment: ("programme", "centre"),
                  Attendance: ("intervention",), Assessment: ("enrolment__programme",)}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str
    masked: bool = False
    special: bool = False


@dataclass
class HistoryEntry:
    at: dt.datetime
    user: str
    action: str  # "created", "changed", "deleted"
    kind: str
    label: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    order: int = 0

    @property
    def action_label(self) -> str:
        return {"created": _("created"), "changed": _("changed"),
                "deleted": _("deleted")}[self.action]


def _history(model: type[models.Model]) -> type[models.Model]:
    return model.history.model  # type: ignore[attr-defined]


def _object_ids(model: type[models.Model], participant_id: int) -> Any:
    """Ids of every record of `model` that ever belonged to the participant, as a subquery
    over the history (so records deleted since are included)."""
    if model is Participant:
        return [participant_id]
    source = _BY_MODEL[model]
    return (_history(model).objects
            .filter(**{f"{source.link}_id__in": _object_ids(source.parent, participant_id)})
            .order_by().values("id"))


def _versions(source: Source, participant_id: int) -> models.QuerySet[Any]:
    history = _history(source.model)
    if source.model is Participant:
        qs = history.objects.filter(id=participant_id)
    else:
        qs = history.objects.filter(**{f"{source.link}_id__in": _object_ids(
            source.parent, participant_id)})
    related = {f.name for f in _shown_fields(source) if f.is_relation}
    related.update(_EXTRA_RELATED.get(source.model, ()))
    return qs.select_related("history_user", *sorted(related)).order_by(
        "id", "history_date", "history_id")


def _shown_fields(source: Source) -> list[models.Field[Any, Any]]:
    return [f for f in source.model._meta.concrete_fields
            if f.name not in NOT_SHOWN and f.name != source.link]


# A value of a many-to-many field: its label, and whether it is special-category data
# (a TargetGroup with special_category).
M2MValue = tuple[str, bool]


def _m2m_values(source: Source, versions: models.QuerySet[Any]
                ) -> dict[str, dict[int, frozenset[M2MValue]]]:
    """{m2m field name: {history_id: values}} for the tracked many-to-many fields."""
    history = _history(source.model)
    found: dict[str, dict[int, frozenset[M2MValue]]] = {}
    for m2m in history._history_m2m_fields:
        through = apps.get_model(history._meta.app_label, f"{history.__name__}_{m2m.name}")
        target = m2m.m2m_reverse_field_name()
        labels: dict[int, set[M2MValue]] = defaultdict(set)
        for row in (through.objects.filter(history__in=versions.order_by().values("history_id"))
                    .select_related(target)):
            value = getattr(row, target)
            labels[row.history_id].add(
                (str(value), bool(getattr(value, "special_category", False))))
        found[m2m.name] = {k: frozenset(v) for k, v in labels.items()}
    return found


def _display(record: Any, f: models.Field[Any, Any]) -> str:
    value = getattr(record, f.attname)
    if value is None or value == "" or value == []:
        return "–"
    if f.is_relation:
        target = getattr(record, f.name, None)
        return str(target) if target is not None else f"#{value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        labels = dict(Barrier.choices) if f.name == "barriers" else {}
        return ", ".join(str(labels.get(v, v)) for v in value)
    return str(value)


def _user(record: Any) -> str:
    user = record.history_user
    if user is not None:
        return user.get_full_name() or user.get_username()
    return _("unknown account") if record.history_user_id else _("the system")


def participant_history(participant: Participant, *, show_special: bool,
                        show_contact: bool,
                        special_centre_ids: Collection[int] | None = None,
                        ) -> list[HistoryEntry]:
    """Every change to the participant's data, newest first.

    `show_special`: the viewer may see special-category data. `special_centre_ids`: the
    centres where they may (None: every centre); an enrolment's special target groups are
    shown only when it is at one of them. `show_contact`: the viewer is one of the named
    staff of a protected identity (ignored for a person never protected).
    """
    entries: list[HistoryEntry] = []
    protected = participant.protected_identity
    for source in SOURCES:
        versions = _versions(source, participant.pk)
        m2m = _m2m_values(source, versions)
        rows = list(versions)
        if source.model is Participant:
            protected = protected or any(r.protected_identity for r in rows)
        entries.extend(_entries(source, rows, m2m, show_special=show_special,
                                special_centre_ids=special_centre_ids,
                                hide_contact=protected and not show_contact))
    entries.sort(key=lambda e: (e.at, e.order), reverse=True)
    return entries


def _entries(source: Source, rows: Iterable[Any],
             m2m: dict[str, dict[int, frozenset[M2MValue]]], *, show_special: bool,
             special_centre_ids: Collection[int] | None, hide_contact: bool,
             ) -> list[HistoryEntry]:
    fields = _shown_fields(source)
    special = SPECIAL_FIELDS.get(source.model, frozenset())
    kind = str(capfirst(source.model._meta.verbose_name))
    hidden = _("(hidden)")
    entries: list[HistoryEntry] = []
    previous: Any = None
    last: HistoryEntry | None = None
    for record in rows:
        if previous is not None and previous.id != record.id:
            previous, last = None, None
        masked = {f.name for f in fields if (f.name in special and not show_special)
                  or (hide_contact and source.model is Participant
                      and f.name in CONTACT_FIELDS)}
        changes: list[Change] = []
        m2m_only = True
        if record.history_type != "-":
            for f in fields:
                new = _display(record, f)
                old = _display(previous, f) if previous is not None else "–"
                if old != new:
                    m2m_only = False
                    changes.append(_change(f.verbose_name, old, new, f.name in masked,
                                           f.name in special, hidden))
            special_values = _special_values_shown(record, show_special, special_centre_ids)
            for name, values in m2m.items():
                new_set = values.get(record.history_id, frozenset())
                old_set = (values.get(previous.history_id, frozenset())
                           if previous is not None else frozenset())
                if not special_values:  # left out, not masked: see the module docstring
                    new_set = frozenset(v for v in new_set if not v[1])
                    old_set = frozenset(v for v in old_set if not v[1])
                if new_set != old_set:
                    verbose = source.model._meta.get_field(name).verbose_name
                    changes.append(_change(verbose, _labels(old_set), _labels(new_set), False,
                                           any(v[1] for v in old_set | new_set), hidden))
        action = {"+": "created", "-": "deleted"}.get(record.history_type, "changed")
        user = _user(record)
        if (last is not None and action == "changed" and m2m_only and last.action != "deleted"
                and last.user == user and record.history_date - previous.history_date
                <= SAME_CHANGE):
            last.changes.extend(changes)
        elif changes or action != "changed":
            last = HistoryEntry(at=record.history_date, user=user, action=action, kind=kind,
                                label=source.label(record), changes=changes,
                                reason=record.history_change_reason or "",
                                order=record.history_id)
            entries.append(last)
        previous = record
    return entries


def _special_values_shown(record: Any, show_special: bool,
                          special_centre_ids: Collection[int] | None) -> bool:
    """Whether special-category m2m values (target groups) of this version are shown: the
    viewer needs the capability at the record's centre (an enrolment's) where it has one."""
    if not show_special:
        return False
    centre_id = getattr(record, "centre_id", None)
    return special_centre_ids is None or centre_id is None or centre_id in special_centre_ids


def _labels(values: frozenset[M2MValue]) -> str:
    return ", ".join(sorted(label for label, _special in values)) or "–"


def _change(verbose_name: Any, old: str, new: str, masked: bool, special: bool,
            hidden: str) -> Change:
    if masked:  # not even whether it was empty
        old = new = hidden
    return Change(str(capfirst(verbose_name)), old, new, masked=masked, special=special)
