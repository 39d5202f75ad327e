"""Data-subject rights in the web UI: the register extract (GDPR art. 15) and restriction of
processing (art. 18). Both are the unit manager's, at the person's own centres."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from vidare.core.forms import VidareForm
from vidare.core.views import ActionFormView, ScopedParticipantMixin
from vidare.people.models import Participant
from vidare.people.rights import set_restriction

from .extract import build_extract, render_pdf
from .log import log_access
from .roles import Capability

FORMATS = {"pdf": "application/pdf", "json": "application/json; charset=utf-8"}


class RegisterExtractView(ScopedParticipantMixin, View):
    """GET ?format=pdf (default) or ?format=json: everything about the person, as a
    download. Logged as an export. The extract holds special-category data and, for a
    person with protected identity, the address, so only those who may see them make it."""

    capability = Capability.MAKE_EXTRACT

    def check_access(self) -> None:
        super().check_access()
        participant: Participant = self.object
        if participant.deidentified_on is not None:
            raise Http404
        if not self.has_capability(Capability.VIEW_SPECIAL_CATEGORY):
            raise PermissionDenied
        if participant.protected_identity and not participant.protected_identity_staff.filter(
                pk=self.request.user.pk).exists():
            raise PermissionDenied("Only the named staff may make the extract of a person "
                                   "with protected identity.")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        kind = request.GET.get("format", "pdf")
        if kind not in FORMATS:
            return HttpResponseBadRequest(_("Choose format=pdf or format=json."),
                                          content_type="text/plain; charset=utf-8")
        participant = self.object
        today = timezone.localdate()
        extract = build_extract(participant, actor=request.user, today=today)
        if kind == "pdf":
            body = render_pdf(extract)
        else:
            body = json.dumps(extract, ensure_ascii=False, indent=2).encode()
        log_access(request, participant, f"register_extract_{kind}", channel="export",
                   special_shown=True)
        response = HttpResponse(body, content_type=FORMATS[kind])
        # The id, not the name: file names end up in download folders and proxy logs.
        response["Content-Disposition"] = (
            f'attachment; filename="registerutdrag-{participant.pk}-{today.isoformat()}.{kind}"')
        response["Cache-Control"] = "no-store"
        return response


class RestrictionForm(VidareForm):
    # The state asked for, fixed when the page was shown: a second submit of the same
    # form is refused ("unchanged") instead of flipping the restriction back.
    restricted = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), required=False, max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example: the person disputes the assessment of "
                               "2026-03-02 and has asked for it to be corrected."))
    field_map = {"restricted": NON_FIELD_ERRORS}


class ParticipantRestrictionView(ScopedParticipantMixin, ActionFormView):
    """Restrict processing (GDPR art. 18), or lift the restriction. While it holds, nothing
    about the person can be changed and gallring passes them by."""

    capability = Capability.RESTRICT_PROCESSING
    form_class = RestrictionForm

    def check_access(self) -> None:
        super().check_access()
        if self.object.deidentified_on is not None:
            raise Http404

    def get_initial(self) -> dict[str, Any]:
        return {"restricted": not self.participant.restricted}

    def get_title(self) -> str:
        if self.participant.restricted:
            return _("Lift the restriction of processing for %(name)s") % {
                "name": self.participant}
        return _("Restrict processing for %(name)s") % {"name": self.participant}

    def get_subtitle(self) -> str:
        if self.participant.restricted:
            return _("Processing is restricted: %(reason)s. Lift it when the question is "
                     "settled; then the record can be changed again.") % {
                "reason": self.participant.restricted_reason}
        return _("While processing is restricted (GDPR article 18) the record is kept but "
                 "nothing in it can be changed, and it is not removed by gallring. Use it "
                 "while the person disputes the data or has objected to the processing.")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["submit_label"] = (_("Lift restriction") if self.participant.restricted
                                   else _("Restrict processing"))
        return context

    def run_action(self, form: BaseForm) -> Participant:
        return set_restriction(actor=self.request.user, participant=self.participant,
                               restricted=form.cleaned_data["restricted"],
                               reason=form.cleaned_data["reason"])

    def get_success_message(self) -> str:
        if self.result.restricted:
            return _("Processing is now restricted.")
        return _("The restriction has been lifted.")
