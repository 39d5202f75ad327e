"""Samtycke: recording and withdrawing consent, and the one check every sharing action makes.

A consent covers one party (socialtjänst, Arbetsförmedlingen, Försäkringskassan, vård) and one
purpose. It is valid from the day it was given up to and including its expiry day, and no longer
on the day it is withdrawn. Sharing actions call `require_consent`, which refuses with the code
"no_valid_consent" and a message that says why: no consent, expired on a date, withdrawn on a
date, or not yet given on the day in question.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vidare.access.roles import Capability
from vidare.core.actions import ensure_not_restricted, errors, save_validated

from .actions import _require_on_participant
from .models import Consent, ConsentParty, ConsentScope, Participant

if TYPE_CHECKING:
    from vidare.access.models import User

NO_VALID_CONSENT = "no_valid_consent"

# The state of a consent on a given day, as the participant page and the API show it.
STATUS_LABELS = {
    "valid": gettext_lazy("Valid"),
    "not_yet_valid": gettext_lazy("Not yet valid"),
    "expired": gettext_lazy("Expired"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


def valid_on(day: date, prefix: str = "") -> Q:
    """Consents valid on `day` (`prefix` leads from another model to the consent)."""
    return (Q(**{f"{prefix}given_on__lte": day})
            & (Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": day}))
            & (Q(**{f"{prefix}withdrawn_on__isnull": True})
               | Q(**{f"{prefix}withdrawn_on__gt": day})))


def status_on(consent: Consent, day: date) -> str:
    """"valid", "not_yet_valid", "expired" or "withdrawn" on `day`."""
    if consent.withdrawn_on is not None and consent.withdrawn_on <= day:
        return "withdrawn"
    if consent.expires_on is not None and consent.expires_on < day:
        return "expired"
    if consent.given_on > day:
        return "not_yet_valid"
    return "valid"


def _relevant(participant: Participant, party: str, scope: str) -> QuerySet[Consent]:
    return Consent.objects.filter(participant=participant, party=party, scope=scope)


def valid_consent(participant: Participant, party: str, scope: str,
                  on: date | None = None) -> Consent | None:
    """The consent that allows sharing `scope` with `party` on `on` (default today), the one
    lasting longest when there are several; None if there is none."""
    on = on or timezone.localdate()
    candidates = list(_relevant(participant, party, scope).filter(valid_on(on)))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c.expires_on or date.max, c.given_on, c.pk))


def refusal_reason(participant: Participant, party: str, scope: str,
                   on: date | None = None) -> str | None:
    """Why `scope` may not be shared with `party` on `on`, in words; None when it may."""
    on = on or timezone.localdate()
    if valid_consent(participant, party, scope, on) is not None:
        return None
    names = {"party": ConsentParty(party).label, "scope": ConsentScope(scope).label,
             "name": participant.full_name}
    # Explain by the latest consent given on or before the day, else by one given later.
    latest = (_relevant(participant, party, scope).filter(given_on__lte=on)
              .order_by("-given_on", "-pk").first())
    if latest is None:
        later = _relevant(participant, party, scope).order_by("given_on", "pk").first()
        if later is not None:
            return _("%(name)s's consent to share with %(party)s (%(scope)s) applies only from "
                     "%(date)s.") % {**names, "date": later.given_on.isoformat()}
        return _("%(name)s has given no consent to share with %(party)s (%(scope)s).") % names
    if status_on(latest, on) == "withdrawn":
        return _("%(name)s's consent to share with %(party)s (%(scope)s) was withdrawn on "
                 "%(date)s.") % {**names, "date": latest.withdrawn_on.isoformat()}
    return _("%(name)s's consent to share with %(party)s (%(scope)s) expired on %(date)s.") % {
        **names, "date": latest.expires_on.isoformat()}


def require_consent(participant: Participant, party: str, scope: str, on: date | None = None,
                    *, field: str = "consent", hint: str = "") -> Consent:
    """The valid consent, or ValidationError {field: reason} with code "no_valid_consent"."""
    consent = valid_consent(participant, party, scope, on)
    if consent is None:
        reason = refusal_reason(participant, party, scope, on) or ""
        raise errors(**{field: (f"{reason} {hint}".strip(), NO_VALID_CONSENT)})
    return consent


def check_dates(given_on: date, expires_on: date | None, today: date) -> None:
    """The date rules of a new consent (also run by the form, so the model's constraint on
    the same dates never answers first with its technical message)."""
    if given_on > today:
        raise errors(given_on=(_("The date the consent was given cannot be in the future."),
                               "future"))
    if expires_on is not None and expires_on < given_on:
        raise errors(expires_on=(_("The consent cannot expire before it was given (%(date)s).")
                                 % {"date": given_on.isoformat()}, "expiry_before_given"))


@transaction.atomic
def grant_consent(*, actor: User, participant: Participant, party: str, scope: str,
                  given_on: date, expires_on: date | None = None, note: str = "",
                  today: date | None = None) -> Consent:
    """Record the participant's consent (as signed or noted in the case; not in the future)."""
    today = today or timezone.localdate()
    _require_on_participant(actor, Capability.EDIT_PARTICIPANT, participant)
    ensure_not_restricted(participant)
    check_dates(given_on, expires_on, today)
    consent = Consent(participant=participant, party=party, scope=scope, given_on=given_on,
                      expires_on=expires_on, note=note, recorded_by=actor, created_by=actor)
    save_validated(consent, actor)
    return consent


@transaction.atomic
def withdraw_consent(*, actor: User, consent: Consent, withdrawn_on: date,
                     today: date | None = None) -> Consent:
    """Record that the participant withdrew the consent; it no longer holds from that day.
    Allowed while processing is restricted: a withdrawal only narrows what may be shared."""
    today = today or timezone.localdate()
    consent = Consent.objects.select_for_update().select_related("participant").get(
        pk=consent.pk)
    _require_on_participant(actor, Capability.EDIT_PARTICIPANT, consent.participant)
    if consent.withdrawn_on is not None:
        raise errors(withdrawn_on=(_("The consent was already withdrawn on %(date)s.")
                                   % {"date": consent.withdrawn_on.isoformat()},
                                   "already_withdrawn"))
    if withdrawn_on > today:
        raise errors(withdrawn_on=(_("The withdrawal date cannot be in the future."), "future"))
    if withdrawn_on < consent.given_on:
        raise errors(withdrawn_on=(_("The consent cannot be withdrawn before it was given "
                                     "(%(date)s).") % {"date": consent.given_on.isoformat()},
                                   "before_given"))
    if consent.expires_on is not None and withdrawn_on > consent.expires_on:
        raise errors(withdrawn_on=(_("The consent had already expired on %(date)s.")
                                   % {"date": consent.expires_on.isoformat()},
                                   "after_expiry"))
    consent.withdrawn_on = withdrawn_on
    save_validated(consent, actor)
    return consent
