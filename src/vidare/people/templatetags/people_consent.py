"""`{% load people_consent %}{% consent_section participant %}`: the consent register on the
participant page, with each consent's state today and the actions the user may take."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from vidare.access.roles import Capability
from vidare.core.views import can_on_participant
from vidare.people.consent import STATUS_LABELS, status_on
from vidare.people.models import Participant

register = template.Library()


@register.inclusion_tag("people/consent_section.html", takes_context=True)
def consent_section(context: template.Context, participant: Participant) -> dict[str, Any]:
    today = timezone.localdate()
    user = context["request"].user
    can_edit = can_on_participant(user, Capability.EDIT_PARTICIPANT, participant)
    consents = list(participant.consents.select_related("recorded_by"))
    for c in consents:
        c.status = status_on(c, today)
        c.status_label = STATUS_LABELS[c.status]
        c.can_withdraw = can_edit and c.withdrawn_on is None and c.status != "expired"
    return {"participant": participant, "consents": consents, "can_edit": can_edit,
            "today": today}
