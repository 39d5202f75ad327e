"""What every action shares. Actions are the only code that writes participant data:
views, API, commands and imports all call them, so rules and history cannot be skipped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

if TYPE_CHECKING:
    from vidare.access.models import User
    from vidare.access.roles import Capability


def require(actor: User, capability: Capability, centre_id: int | None = None) -> None:
    """Raise PermissionDenied unless `actor` holds `capability` (at `centre_id`)."""
    if not actor.can(capability, centre_id):
        raise PermissionDenied(f"{actor} lacks {capability} at centre {centre_id}")


def ensure_not_restricted(participant: models.Model | int) -> None:
    """Refuse a write while processing of the person's data is restricted (GDPR art. 18).
    Read from the database, not the caller's copy, so a restriction set meanwhile holds."""
    from django.utils.translation import gettext as _

    from vidare.people.models import Participant

    pk = participant if isinstance(participant, int) else participant.pk
    if Participant.objects.filter(pk=pk, restricted=True).exists():
        raise errors(participant=(
            _("Processing of this person's data is restricted (GDPR article 18); nothing can "
              "be changed until the unit manager lifts the restriction."), "restricted"))


def stamp(instance: models.Model, actor: User | None) -> models.Model:
    """Attribute the history row to `actor` even outside a request (CLI, batch jobs)."""
    instance._history_user = actor  # type: ignore[attr-defined]
    return instance


def save_validated(instance: models.Model, actor: User | None, *,
                   exclude: list[str] | None = None) -> models.Model:
    """full_clean (field rules, choices, constraints) then save, attributed to `actor`."""
    instance.full_clean(exclude=exclude, validate_unique=True)
    stamp(instance, actor)
    instance.save()
    return instance


def errors(**fields: tuple[str, str]) -> ValidationError:
    """ValidationError({field: message}) with a rule code: errors(start_date=("msg", "code"))."""
    return ValidationError(
        {name: ValidationError(message, code=code) for name, (message, code) in fields.items()}
    )


def assign(instance: models.Model, data: dict[str, Any], allowed: set[str]) -> None:
    """Set the fields in `data` that `allowed` names; anything else is a programming error."""
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(instance, name, value)
