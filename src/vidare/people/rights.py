"""Data-subject rights that change the record: restriction of processing (GDPR art. 18).

Rectification (art. 16) needs nothing of its own: staff correct the data through the
ordinary actions, and django-simple-history keeps who changed what and when. Erasure is
gallring (vidare.access.retention) once the retention period has run out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from vidare.access.roles import Capability
from vidare.core.actions import errors, save_validated

from .actions import _require_on_participant
from .models import Participant

if TYPE_CHECKING:
    from vidare.access.models import User


@transaction.atomic
def set_restriction(*, actor: User, participant: Participant, restricted: bool,
                    reason: str) -> Participant:
    """Restrict processing (while the person disputes the data or objects), or lift it.

    While restricted, every other action refuses to write with code "restricted"
    (core.actions.ensure_not_restricted), and gallring leaves the person alone. The
    reason is kept on the record while restricted and, both ways, in the history."""
    _require_on_participant(actor, Capability.RESTRICT_PROCESSING, participant)
    # A fresh row: the caller's copy may be stale, and saving it would undo others' edits.
    row = Participant.objects.select_for_update().get(pk=participant.pk)
    reason = " ".join((reason or "").split())
    if row.deidentified_on is not None:
        raise errors(restricted=(_("The person's data has been removed by gallring."),
                                 "deidentified"))
    if row.restricted == restricted:
        message = (_("Processing is already restricted.") if restricted
                   else _("Processing is not restricted."))
        raise errors(restricted=(message, "unchanged"))
    if not reason:
        raise errors(reason=(_("Give the reason (for example the person's request and "
                               "what it concerns)."), "required"))
    max_length = Participant._meta.get_field("restricted_reason").max_length
    if len(reason) > max_length:
        raise errors(reason=(_("At most %(n)s characters.") % {"n": max_length},
                             "max_length"))
    row.restricted = restricted
    row.restricted_reason = reason if restricted else ""
    # The history row says why, both ways (its reason column holds 100 characters).
    row._change_reason = reason[:100]  # type: ignore[attr-defined]
    save_validated(row, actor)
    participant.restricted = row.restricted
    participant.restricted_reason = row.restricted_reason
    return row
