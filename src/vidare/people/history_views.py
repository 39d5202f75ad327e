"""The participant's history page: who changed what, when. Reading it is access-logged."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from vidare.access.log import log_access
from vidare.access.roles import Capability
from vidare.core.views import ScopedParticipantMixin

from .history import participant_history

PAGE_SIZE = 50


class ParticipantHistoryView(ScopedParticipantMixin, TemplateView):
    """For the team around the participant (not for a referring officer, who sees status and
    attendance only)."""

    template_name = "people/participant_history.html"
    capability = Capability.VIEW_PARTICIPANTS

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        p = self.participant
        show_special = self.has_capability(Capability.VIEW_SPECIAL_CATEGORY)
        # Asked even when the person is not protected now: they may have been earlier.
        named_staff = p.protected_identity_staff.filter(pk=self.request.user.pk).exists()
        entries = participant_history(
            p, show_special=show_special, show_contact=named_staff,
            special_centre_ids=self.request.user.centre_ids_with(
                Capability.VIEW_SPECIAL_CATEGORY))
        page = Paginator(entries, PAGE_SIZE).get_page(self.request.GET.get("page"))
        special_shown = show_special and any(
            c.special for e in page.object_list for c in e.changes)
        log_access(self.request, p, "participant_history", channel="web",
                   special_shown=special_shown)
        context.update(participant=p, page_obj=page, entries=page.object_list,
                       show_special=show_special)
        return context
