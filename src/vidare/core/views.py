"""View building blocks every app shares.

Access is decided once, in `dispatch`, before any handler runs:
* not logged in → redirect to the login page;
* the participant (or the enrolment, referral ... they own) is outside
  `Participant.objects.visible_to(user)` → 404, so its existence is not revealed;
* visible, but the user's role may not take this step at that centre → 403.

Both refusals are written to the access log (allowed=False) when the person exists, and
every page about one person that answers a GET writes an access-log row (the view's own, or
a generic one naming the page).

Forms are run by `ActionFormView`: a valid form is handed to an action (the only code that
writes), the action's ValidationError is shown on the form fields, and success redirects
with a message. Actions are atomic, so a failed action has written nothing.
"""

from __future__ import annotations

import operator
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from vidare.access.log import client_ip, log_access
from vidare.access.models import AccessLogEntry
from vidare.access.roles import Capability
from vidare.core.forms import VidareFormMixin, apply_validation_error
from vidare.people.models import Participant
from vidare.people.scoping import scoped


def optional_url(name: str, *args: Any, **kwargs: Any) -> str | None:
    """reverse(), or None while the named page does not exist (yet)."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def log_refused(request: HttpRequest, participant: Participant, channel: str = "web") -> None:
    """A refused attempt (403, or 404 for a person out of scope) on an existing person. The
    answer the user gets is not changed: a 404 stays a 404."""
    match = request.resolver_match
    AccessLogEntry.objects.create(
        user=request.user, username=request.user.get_username(), participant=participant,
        participant_ref=str(participant.pk),
        what=f"refused: {match.view_name if match else request.path}"[:100],
        channel=channel, allowed=False, ip_address=client_ip(request),
        request_id=getattr(request, "request_id", ""))


def read_logged(request: HttpRequest, participant: Participant) -> bool:
    """Whether this request has written an access-log row for `participant`."""
    request_id = getattr(request, "request_id", "")
    return bool(request_id) and AccessLogEntry.objects.filter(
        request_id=request_id, participant=participant, allowed=True).exists()


def participant_centre_ids(participant: Participant) -> set[int]:
    """Centres the participant is enrolled at or referred to (one query)."""
    from vidare.enrolments.models import Enrolment
    from vidare.people.models import Referral

    enrolled = (Enrolment.objects.filter(participant=participant).order_by()
                .values_list("centre_id"))
    referred = (Referral.objects.filter(participant=participant).order_by()
                .values_list("centre_id"))
    return {cid for (cid,) in enrolled.union(referred)}


def can_on_participant(user: Any, capability: Capability, participant: Participant,
                       centre_ids: set[int] | None = None) -> bool:
    """Whether `user` holds `capability` at a centre the participant belongs to
    (`centre_ids`: those centres, when the caller already has them)."""
    scope = user.centre_ids_with(capability)
    if scope is None:
        return True
    if centre_ids is None:
        centre_ids = participant_centre_ids(participant)
    return bool(scope & centre_ids)


class AccessMixin(LoginRequiredMixin):
    """Login required, then `check_access()` (raise Http404/PermissionDenied) before the
    handler. `capability`, if set, must be held somewhere (refined by subclasses)."""

    capability: Capability | None = None
    request: HttpRequest
    kwargs: dict[str, Any]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.check_access()
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]
        except (PermissionDenied, Http404):
            participant = self.refused_participant()
            if participant is not None:
                log_refused(request, participant)
            raise

    def check_access(self) -> None:
        if self.capability is not None and not self.request.user.can(self.capability):
            raise PermissionDenied

    def refused_participant(self) -> Participant | None:
        """The existing person a refused request was about, if any (for the access log)."""
        return None

    def can(self, capability: Capability, centre_id: int | None = None) -> bool:
        return self.request.user.can(capability, centre_id)


class ScopedObjectMixin(AccessMixin):
    """Fetch `self.object` of `model` through the participants the user may see.

    `participant_path` is the lookup from `model` to its Participant ("participant",
    "enrolment__participant"); `centre_path` the dotted attribute giving the centre id at
    which `capability` is checked ("centre_id", "enrolment.centre_id").
    """

    model: type[models.Model]
    participant_path = "participant"
    centre_path = "centre_id"
    pk_url_kwarg = "pk"
    select_related: tuple[str, ...] = ()
    object: Any

    def get_scoped_queryset(self) -> models.QuerySet[Any]:
        qs = scoped(self.model._default_manager.all(), self.participant_path, self.request.user)
        return qs.select_related(*self.select_related)

    def check_access(self) -> None:
        self.object = get_object_or_404(self.get_scoped_queryset(),
                                        pk=self.kwargs[self.pk_url_kwarg])
        if self.capability is not None and not self.has_capability(self.capability):
            raise PermissionDenied

    def has_capability(self, capability: Capability) -> bool:
        return self.can(capability, operator.attrgetter(self.centre_path)(self.object))

    @property
    def participant(self) -> Participant:
        return operator.attrgetter(self.participant_path.replace("__", "."))(self.object)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        if (request.method == "GET" and response.status_code == 200
                and not read_logged(request, self.participant)):
            match = request.resolver_match
            log_access(request, self.participant, match.view_name if match else request.path)
        return response

    def refused_participant(self) -> Participant | None:
        if getattr(self, "object", None) is not None:
            return self.participant
        found = self.model._default_manager.filter(pk=self.kwargs[self.pk_url_kwarg]).first()
        if found is None:
            return None
        self.object = found  # only to reach its participant; the answer stays a refusal
        return self.participant


class ScopedParticipantMixin(ScopedObjectMixin):
    """The participant in the URL, 404 unless visible; `capability` at one of the centres
    the person is enrolled at or referred to, else 403."""

    model = Participant

    def get_scoped_queryset(self) -> models.QuerySet[Any]:
        return Participant.objects.visible_to(self.request.user).select_related(
            *self.select_related)

    def has_capability(self, capability: Capability) -> bool:
        return can_on_participant(self.request.user, capability, self.object,
                                  self.participant_centre_ids)

    @cached_property
    def participant_centre_ids(self) -> set[int]:
        return participant_centre_ids(self.object)

    @property
    def participant(self) -> Participant:
        return self.object


class ActionFormView(AccessMixin, FormView):
    """Show a form; on a valid POST call `run_action(form)`; map the action's ValidationError
    onto the form; on success add `success_message` and redirect.

    Combine with a scoped mixin first: `class V(ScopedParticipantMixin, ActionFormView)`.
    Templates get `title`, `subtitle`, `submit_label` and `cancel_url`; the default
    template is vidare/form.html.
    """

    template_name = "vidare/form.html"
    title: Any = ""
    subtitle: Any = ""
    submit_label: Any = None
    success_message: Any = ""
    result: Any = None

    def run_action(self, form: BaseForm) -> Any:
        raise NotImplementedError

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        form_class = self.get_form_class()
        if issubclass(form_class, VidareFormMixin):
            kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form: BaseForm) -> HttpResponse:
        try:
            self.result = self.run_action(form)
        except ValidationError as exc:
            self.handle_action_error(form, exc)
            return self.form_invalid(form)
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        return HttpResponseRedirect(self.get_success_url())

    def handle_action_error(self, form: BaseForm, exc: ValidationError) -> None:
        if isinstance(form, VidareFormMixin):
            form.apply_action_error(exc)
        else:
            apply_validation_error(form, exc)

    def get_success_message(self) -> str:
        return str(self.success_message)

    def get_title(self) -> str:
        return str(self.title)

    def get_subtitle(self) -> str:
        return str(self.subtitle)

    def get_cancel_url(self) -> str | None:
        participant = getattr(self, "participant", None)
        if participant is not None:
            return reverse("people:participant_detail", args=[participant.pk])
        return None

    def get_success_url(self) -> str:
        if self.success_url:
            return str(self.success_url)
        url = self.get_cancel_url()
        if url is None:
            raise NotImplementedError("Set success_url or override get_success_url().")
        return url

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.get_title())
        context.setdefault("subtitle", self.get_subtitle())
        context.setdefault("cancel_url", self.get_cancel_url())
        if self.submit_label:
            context.setdefault("submit_label", self.submit_label)
        participant = getattr(self, "participant", None)
        if participant is not None:
            context.setdefault("participant", participant)
        return context


class HomeView(AccessMixin, TemplateView):
    """Where a user lands after login: the caseload for case roles, the own referrals for a
    social-assistance officer, otherwise a page that says what the role gives access to."""

    template_name = "vidare/home.html"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.can(Capability.VIEW_CENTRE_OVERVIEW):
            return redirect("enrolments:centre_overview")
        if user.can(Capability.ENROL):
            return redirect("enrolments:caseload")
        if user.can(Capability.VIEW_PARTICIPANTS):
            # Team members without a caseload of their own start from search.
            return redirect("people:participant_list")
        if user.can(Capability.REFER):
            return redirect("people:referral_list")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from vidare.access.roles import Role

        context = super().get_context_data(**kwargs)
        context["roles"] = sorted(Role(r).label for r in self.request.user.roles)
        return context
