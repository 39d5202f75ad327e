"""Centres, programmes and target groups: the only code that writes them. The pages of the
system administrator, the command line and imports call these actions.

The organisation is kept by the system administrator (MANAGE_USERS: "users, roles, code
lists"), municipality-wide, so no centre is checked. `actor=None` is the command line or the
demo generator (run by the operator, attributed to nobody in the history).

Rules, each reported on its field with a rule code:

* codes are slugs (letters, digits, - and _), stored in lower case, unique (`duplicate`);
* names are unique, ignoring case (`duplicate`);
* a programme's age band lies within 15–100 with min ≤ max (`age_band`), its maximum length
  is 1–120 months, it is offered at one centre at least (`required`);
* a centre or programme with open (active or paused) enrolments cannot be deactivated
  (`open_enrolments`, the message gives the count);
* the code of a target group in use (by an enrolment or a programme) cannot change
  (`in_use`): statistics, exports and API clients know the group by its code.

Every action is atomic and writes history (django-simple-history) attributed to the actor.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vidare.access.roles import Capability
from vidare.core.actions import assign, errors, save_validated, stamp

from .models import Centre, Programme, TargetGroup

if TYPE_CHECKING:
    from vidare.access.models import User

CENTRE_FIELDS = {"code", "name", "municipality", "address", "active"}
TARGET_GROUP_FIELDS = {"code", "name", "description", "special_category"}
PROGRAMME_FIELDS = {"code", "name", "description", "min_age", "max_age", "max_length_months",
                    "active"}
OPEN_STATUSES = ("active", "paused")  # enrolments.EnrolmentStatus, not exited


def require_admin(actor: User | None) -> None:
    """PermissionDenied unless `actor` may keep the organisation (None: command line)."""
    if actor is not None and not actor.can(Capability.MANAGE_USERS):
        raise PermissionDenied(f"{actor} lacks {Capability.MANAGE_USERS}")


def may_manage(actor: Any) -> bool:
    return bool(actor.can(Capability.MANAGE_USERS))


def open_enrolment_count(**lookup: Any) -> int:
    from vidare.enrolments.models import Enrolment

    return Enrolment.objects.filter(status__in=OPEN_STATUSES, **lookup).count()


def _normalise(instance: models.Model) -> None:
    instance.code = (instance.code or "").strip().lower()  # type: ignore[attr-defined]
    instance.name = " ".join((instance.name or "").split())  # type: ignore[attr-defined]


def _unique(instance: models.Model) -> dict[str, ValidationError]:
    """Code and name not taken by another row of the same kind (ignoring case)."""
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    code, name = instance.code, instance.name  # type: ignore[attr-defined]
    found: dict[str, ValidationError] = {}
    taken = others.filter(code__iexact=code).first() if code else None
    if taken is not None:
        found["code"] = ValidationError(
            _("The code %(code)s is already used by %(name)s.")
            % {"code": code, "name": taken.name}, code="duplicate")
    if name and others.filter(name__iexact=name).exists():
        found["name"] = ValidationError(_("The name %(name)s is already used.")
                                        % {"name": name}, code="duplicate")
    return found


def _field_errors(instance: models.Model) -> dict[str, Any]:
    """The model's own field rules (slug, lengths, 15–100, 1–120, required) by field."""
    try:
        instance.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return dict(exc.error_dict)
    return {}


def _raise(found: dict[str, Any]) -> None:
    if found:
        raise ValidationError(found)


def _was_active(instance: models.Model) -> bool:
    if instance.pk is None:
        return False
    return bool(type(instance)._default_manager.filter(pk=instance.pk, active=True).exists())


def _deactivation_errors(instance: Centre | Programme, lookup: str) -> dict[str, Any]:
    if instance.active or not _was_active(instance):
        return {}
    count = open_enrolment_count(**{lookup: instance})
    if not count:
        return {}
    message = ngettext(
        "%(name)s has %(count)d open enrolment (active or paused); exit or move it before "
        "deactivating.",
        "%(name)s has %(count)d open enrolments (active or paused); exit or move them "
        "before deactivating.", count) % {"name": instance.name, "count": count}
    return {"active": ValidationError(message, code="open_enrolments")}


# --- centres -----------------------------------------------------------------------------------


@transaction.atomic
def save_centre(*, actor: User | None, centre: Centre | None = None, **data: Any) -> Centre:
    """Create a centre, or change one (also its `active` flag: see set_centre_active)."""
    require_admin(actor)
    centre = centre or Centre()
    assign(centre, data, CENTRE_FIELDS)
    centre.address = (centre.address or "").strip()
    _normalise(centre)
    _raise({**_unique(centre), **_field_errors(centre),
            **_deactivation_errors(centre, "centre")})
    return save_validated(centre, actor)  # type: ignore[return-value]


def set_centre_active(*, actor: User | None, centre: Centre, active: bool) -> Centre:
    """Open or close a centre for new referrals and enrolments. A centre with open
    enrolments stays active (ValidationError on `active`)."""
    return save_centre(actor=actor, centre=centre, active=active)


# --- target groups -----------------------------------------------------------------------------


def target_group_use(group: TargetGroup) -> tuple[int, int]:
    """(enrolments, programmes) that name the group."""
    return group.enrolments.count(), group.programmes.count()


@transaction.atomic
def save_target_group(*, actor: User | None, group: TargetGroup | None = None,
                      **data: Any) -> TargetGroup:
    """Create a target group, or change one. `special_category` marks a group whose
    membership reveals health, disability or origin: an enrolment's membership of it is
    then shown only to roles with VIEW_SPECIAL_CATEGORY."""
    require_admin(actor)
    group = group or TargetGroup()
    old_code = (TargetGroup.objects.filter(pk=group.pk).values_list("code", flat=True).first()
                if group.pk else None)
    assign(group, data, TARGET_GROUP_FIELDS)
    _normalise(group)
    group.description = (group.description or "").strip()
    if old_code is not None and group.code != old_code:
        enrolments, programmes = target_group_use(group)
        if enrolments or programmes:
            raise errors(code=(
                _("The code cannot change: the group is in use (%(enrolments)d enrolments, "
                  "%(programmes)d programmes) and statistics, exports and API clients know it "
                  "as %(code)s.") % {"enrolments": enrolments, "programmes": programmes,
                                     "code": old_code}, "in_use"))
    _raise({**_unique(group), **_field_errors(group)})
    return save_validated(group, actor)  # type: ignore[return-value]


# --- programmes --------------------------------------------------------------------------------


def _programme_errors(programme: Programme, centres: list[Centre] | None) -> dict[str, Any]:
    found = _field_errors(programme)
    # Model.clean() words the age band without a rule code: the action's message replaces it.
    max_age = [e for e in found.pop("max_age", []) if e.code is not None]
    if max_age:
        found["max_age"] = max_age
    low, high = programme.min_age, programme.max_age
    if (not ({"min_age", "max_age"} & set(found)) and isinstance(low, int)
            and isinstance(high, int) and low > high):
        found["max_age"] = ValidationError(
            _("The maximum age (%(max)d) must not be below the minimum age (%(min)d).")
            % {"max": high, "min": low}, code="age_band")
    if centres is not None and not centres:
        found["centres"] = ValidationError(
            _("Choose at least one centre where the programme is offered."), code="required")
    elif centres is not None and programme.pk is not None:
        # Open enrolments at a centre would be left in a programme no longer offered there.
        dropped = programme.centres.exclude(pk__in=[c.pk for c in centres])
        busy = [(c.name, n) for c in dropped
                if (n := open_enrolment_count(programme=programme, centre=c))]
        if busy:
            found["centres"] = ValidationError(
                _("%(programme)s still has open enrolments (active or paused) at %(centres)s; "
                  "exit or move them before the programme stops being offered there.")
                % {"programme": programme.name,
                   "centres": ", ".join(f"{name} ({n})" for name, n in busy)},
                code="open_enrolments")
    return found


@transaction.atomic
def save_programme(*, actor: User | None, programme: Programme | None = None,
                   centres: Iterable[Centre] | None = None,
                   target_groups: Iterable[TargetGroup] | None = None,
                   **data: Any) -> Programme:
    """Create a programme, or change one. A new programme needs `centres`; on a change,
    `centres` and `target_groups` left out (None) stay as they are. No target groups means
    the programme is open to everyone."""
    require_admin(actor)
    creating = programme is None
    programme = programme or Programme()
    assign(programme, data, PROGRAMME_FIELDS)
    _normalise(programme)
    programme.description = (programme.description or "").strip()
    centre_list = list(centres) if centres is not None else ([] if creating else None)
    _raise({**_unique(programme), **_programme_errors(programme, centre_list),
            **_deactivation_errors(programme, "programme")})
    save_validated(programme, actor)
    stamp(programme, actor)  # the m2m changes below are history rows of their own
    if centre_list is not None:
        programme.centres.set(centre_list)
    if target_groups is not None:
        programme.target_groups.set(list(target_groups))
    return programme


def set_programme_active(*, actor: User | None, programme: Programme,
                         active: bool) -> Programme:
    """Open or close a programme for new enrolments. A programme with open enrolments stays
    active (ValidationError on `active`)."""
    return save_programme(actor=actor, programme=programme, active=active)
