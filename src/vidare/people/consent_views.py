"""Pages of the consent register: record a consent, record its withdrawal. Both are reached from
the participant page and need EDIT_PARTICIPANT at one of the person's centres; the referring
social-assistance officer may see consents but not record them."""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vidare.access.roles import Capability
from vidare.core.views import (
    ActionFormView,
    ScopedObjectMixin,
    ScopedParticipantMixin,
    can_on_participant,
)

from . import consent as actions
from .consent_forms import ConsentForm, ConsentWithdrawForm
from .models import Consent


class ConsentAddView(ScopedParticipantMixin, ActionFormView):
    capability = Capability.EDIT_PARTICIPANT
    form_class = ConsentForm
    template_name = "people/consent_form.html"
    submit_label = gettext_lazy("Save consent")
    success_message = gettext_lazy("The consent has been recorded.")

    def get_title(self) -> str:
        return _("New consent for %(name)s") % {"name": self.participant}

    def run_action(self, form: BaseForm) -> Consent:
        return actions.grant_consent(actor=self.request.user, participant=self.participant,
                                     **form.cleaned_data)


class ConsentWithdrawView(ScopedObjectMixin, ActionFormView):
    model = Consent
    select_related = ("participant",)
    capability = Capability.EDIT_PARTICIPANT
    form_class = ConsentWithdrawForm
    template_name = "people/consent_withdraw.html"
    submit_label = gettext_lazy("Withdraw consent")
    success_message = gettext_lazy("The withdrawal of the consent has been recorded.")

    def has_capability(self, capability: Capability) -> bool:
        return can_on_participant(self.request.user, capability, self.object.participant)

    def get_title(self) -> str:
        return _("Withdraw the consent of %(name)s") % {"name": self.participant}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["consent"] = self.object
        return context

    def run_action(self, form: BaseForm) -> Consent:
        return actions.withdraw_consent(actor=self.request.user, consent=self.object,
                                        **form.cleaned_data)
