"""Participants and referrals: search, registration, the participant page, referral work."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.forms import BaseForm
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView

from vidare.access.log import log_access
from vidare.access.roles import Capability, Role
from vidare.core.views import (
    AccessMixin,
    ActionFormView,
    ScopedObjectMixin,
    ScopedParticipantMixin,
    optional_url,
)
from vidare.enrolments.models import Enrolment, EnrolmentStatus
from vidare.enrolments.timeline import build_timeline
from vidare.organisation.models import age_on

from . import actions
from .forms import (
    ParticipantAddForm,
    ParticipantForm,
    ReferralCloseForm,
    ReferralContactForm,
    ReferralForm,
    SearchForm,
)
from .models import ContactKind, Participant, Referral, ReferralStatus
from .scoping import scoped

OPEN_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.PAUSED)
REFERRAL_WAIT_WARNING_DAYS = 14
FORM_TEMPLATE = "people/participant_form.html"  # fieldsets and checkbox/radio groups
CONTACT_FIELDS = ("address", "postal_code", "city", "phone", "email")
STAFF_FIELD = "protected_identity_staff"


def age_text(participant: Participant, today: date) -> str:
    """Completed years, or 'about N' when only the birth year is known."""
    if participant.birth_date:
        return str(age_on(participant.birth_date, today))
    if participant.birth_year:
        return _("about %(age)s") % {"age": today.year - participant.birth_year}
    return _("unknown")


_IDENTITY_CHARS = re.compile(r"[0-9\-+ ]+")


def search_participants(qs: QuerySet[Participant], text: str) -> QuerySet[Participant]:
    """By name (every word must match a first or last name) or by identity number in any
    common form: 19121212-1212, 191212121212, 121212-1212, 1212121212, or part of one."""
    text = text.strip()
    if not text:
        return qs
    if text[:1] in "Rr" and re.fullmatch(r"[Rr][0-9\-]+", text):
        return qs.filter(identity_number__istartswith=text)
    if _IDENTITY_CHARS.fullmatch(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) == 12:
            return qs.filter(identity_number=digits)
        if len(digits) == 10:
            return qs.filter(identity_number__endswith=digits)
        return qs.filter(identity_number__contains=digits)
    for word in text.split():
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return qs


def open_enrolments_prefetch() -> Prefetch:
    return Prefetch("enrolments", to_attr="open_enrolments",
                    queryset=Enrolment.objects.filter(status__in=OPEN_STATUSES)
                    .select_related("programme", "centre", "responsible"))


class ParticipantListView(AccessMixin, ListView):
    """Search among the participants the user may see."""

    template_name = "people/participant_list.html"
    paginate_by = 25

    def check_access(self) -> None:
        user = self.request.user
        if not (user.can(Capability.VIEW_PARTICIPANTS) or user.can(Capability.REFER)):
            raise PermissionDenied

    def get_queryset(self) -> QuerySet[Participant]:
        self.search_form = SearchForm(self.request.GET or None)
        # Protected identities are found only by their named staff.
        qs = Participant.objects.visible_to(self.request.user, listing=True)
        if self.search_form.is_valid():
            qs = search_participants(qs, self.search_form.cleaned_data["q"])
        return qs.order_by("last_name", "first_name", "pk").prefetch_related(
            open_enrolments_prefetch())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["search_form"] = self.search_form
        context["q"] = self.request.GET.get("q", "")
        context["today"] = timezone.localdate()
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
        return context


class ParticipantAddView(ActionFormView):
    """Register a person together with the first referral."""

    form_class = ParticipantAddForm
    template_name = FORM_TEMPLATE
    title = gettext_lazy("New participant")
    subtitle = gettext_lazy("Register the person and the referral that brings them to us.")
    submit_label = gettext_lazy("Register")
    duplicate: Participant | None = None

    def check_access(self) -> None:
        user = self.request.user
        if not (user.can(Capability.REGISTER_PARTICIPANT) or user.can(Capability.REFER)):
            raise PermissionDenied

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["show_special"] = self.request.user.can(Capability.VIEW_SPECIAL_CATEGORY)
        return kwargs

    def run_action(self, form: BaseForm) -> Participant:
        identity, languages, person, referral = form.split()  # type: ignore[attr-defined]
        return actions.register_participant(actor=self.request.user, identity_number=identity,
                                            languages=languages, referral=referral, **person)

    def handle_action_error(self, form: BaseForm, exc: ValidationError) -> None:
        super().handle_action_error(form, exc)
        if isinstance(exc, actions.DuplicateParticipant):
            visible = Participant.objects.visible_to(self.request.user)
            if visible.filter(pk=exc.existing.pk).exists():
                self.duplicate = exc.existing
            else:
                form.add_error("identity_number", _(
                    "Contact the centre where the person is registered; they can add a "
                    "referral."))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["duplicate"] = self.duplicate
        return context

    def get_success_message(self) -> str:
        return _("%(name)s has been registered with a referral.") % {"name": self.result}

    def get_cancel_url(self) -> str:
        return reverse("people:participant_list")

    def get_success_url(self) -> str:
        return reverse("people:participant_detail", args=[self.result.pk])


def named_staff(user: Any, participant: Participant) -> bool:
    """Whether `user` is one of the staff named for the person's protected identity."""
    return participant.protected_identity_staff.filter(pk=user.pk).exists()


def may_see_contact(user: Any, participant: Participant) -> bool:
    """Address, phone and e-mail: hidden for a protected identity except from named staff."""
    return not participant.protected_identity or named_staff(user, participant)


def may_name_staff(user: Any, participant: Participant, centre_ids: set[int]) -> bool:
    """Named staff, or a unit manager at one of the person's centres, name the staff of a
    protected identity."""
    return participant.protected_identity and (
        named_staff(user, participant)
        or any(m.role == Role.ENHETSCHEF and m.centre_id in centre_ids
               for m in user.memberships_cached))


class ParticipantDetailView(ScopedParticipantMixin, TemplateView):
    """Everything about one participant and every next step. Each view is access-logged.

    A user who sees the person only as the officer who referred them (no case role at the
    person's centres) gets the status view instead (access/matrix.py, STATUS_VIEW)."""

    template_name = "people/participant_detail.html"

    @cached_property
    def status_only(self) -> bool:
        return not self.has_capability(Capability.VIEW_PARTICIPANTS)

    def get_template_names(self) -> list[str]:
        if self.status_only:
            return ["people/participant_status.html"]
        return super().get_template_names()

    def status_context(self, context: dict[str, Any]) -> dict[str, Any]:
        p, user = self.participant, self.request.user
        enrolments = list(Enrolment.objects.filter(participant=p)
                          .select_related("programme", "centre", "responsible", "exit")
                          .order_by("-start_date", "-pk"))
        context.update(
            participant=p, today=timezone.localdate(), enrolments=enrolments,
            referrals=list(Referral.objects.filter(participant=p, referrer_user=user)
                           .select_related("centre", "programme")),
            links={
                "attendance": optional_url("plans:attendance_report", pk=p.pk)
                if self.has_capability(Capability.VIEW_ATTENDANCE_REPORT) else None,
                "referral_add": reverse("people:referral_add", args=[p.pk])
                if user.can(Capability.REFER) else None,
            })
        log_access(self.request, p, "participant status", channel="web")
        return context

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.status_only:
            return self.status_context(context)
        p = self.participant
        today = timezone.localdate()
        can = self.has_capability
        show_special = can(Capability.VIEW_SPECIAL_CATEGORY)
        enrolments = list(Enrolment.objects.filter(participant=p)
                          .select_related("programme", "centre", "responsible", "exit"))
        for e in enrolments:
            e.links = self.enrolment_links(e)
        context["enrolment_links"] = any(any(e.links.values()) for e in enrolments)
        referrals = list(Referral.objects.filter(participant=p)
                         .select_related("centre", "programme", "referrer_user")
                         .prefetch_related("contacts__staff"))
        manage = self.request.user.centre_ids_with(Capability.MANAGE_REFERRALS)
        for r in referrals:
            r.can_manage = (r.status == ReferralStatus.OPEN
                            and (manage is None or r.centre_id in manage))
        context.update(
            participant=p,
            today=today,
            age=age_text(p, today),
            languages=list(p.languages.all()),
            current=[e for e in enrolments if e.status in OPEN_STATUSES],
            past=[e for e in enrolments if e.status not in OPEN_STATUSES],
            referrals=referrals,
            show_special=show_special,
            show_contact=may_see_contact(self.request.user, p),
            timeline=build_timeline(p),
            links={
                "edit": reverse("people:participant_edit", args=[p.pk])
                if can(Capability.EDIT_PARTICIPANT) else None,
                "referral_add": reverse("people:referral_add", args=[p.pk])
                if self.request.user.can(Capability.MANAGE_REFERRALS)
                or self.request.user.can(Capability.REFER) else None,
                "enrol": reverse("enrolments:enrolment_add", args=[p.pk])
                if self.request.user.can(Capability.ENROL) else None,
                "assess": optional_url("assessments:assessment_add", pk=p.pk)
                if can(Capability.ASSESS) else None,
                "attendance": optional_url("plans:attendance_report", pk=p.pk)
                if can(Capability.VIEW_ATTENDANCE_REPORT) else None,
                "extract": optional_url("access:extract", pk=p.pk)
                if can(Capability.MAKE_EXTRACT) else None,
                "restriction": optional_url("people:participant_restriction", pk=p.pk)
                if can(Capability.RESTRICT_PROCESSING) else None,
            },
        )
        if show_special:
            context.update(self.special_category())
        log_access(self.request, p, "participant_detail", channel="web",
                   special_shown=show_special)
        return context

    def enrolment_links(self, e: Enrolment) -> dict[str, str | None]:
        user = self.request.user
        is_open = e.status in OPEN_STATUSES
        plan = is_open and user.can(Capability.PLAN, e.centre_id)
        return {
            "plan": optional_url("plans:plan_edit", pk=e.pk) if plan else None,
            "intervention": optional_url("plans:intervention_add", pk=e.pk) if plan else None,
            "exit": reverse("enrolments:exit_add", args=[e.pk])
            if is_open and user.can(Capability.EXIT, e.centre_id) else None,
            "reassign": reverse("enrolments:enrolment_reassign", args=[e.pk])
            if is_open and user.can(Capability.ENROL, e.centre_id) else None,
            "pause": reverse("enrolments:enrolment_pause", args=[e.pk])
            if is_open and user.can(Capability.ENROL, e.centre_id) else None,
        }

    def special_category(self) -> dict[str, Any]:
        """The latest assessment's special-category fields, for roles that may see them."""
        from vidare.assessments.models import Assessment, Barrier

        latest = (Assessment.objects.filter(participant=self.participant)
                  .order_by("-version").first())
        labels = dict(Barrier.choices)
        return {"latest_assessment": latest,
                "barriers": [labels.get(b, b) for b in (latest.barriers if latest else [])]}


class ParticipantEditView(ScopedParticipantMixin, ActionFormView):
    form_class = ParticipantForm
    template_name = FORM_TEMPLATE
    capability = Capability.EDIT_PARTICIPANT
    success_message = gettext_lazy("The participant's details have been saved.")

    def get_title(self) -> str:
        return _("Edit %(name)s") % {"name": self.participant}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        # A copy: a ModelForm writes the posted values onto its instance while validating,
        # and the page around a rejected form must still show the stored name.
        kwargs["instance"] = copy.copy(self.participant)
        kwargs["show_special"] = self.has_capability(Capability.VIEW_SPECIAL_CATEGORY)
        return kwargs

    def get_form(self, form_class: Any = None) -> BaseForm:
        form = super().get_form(form_class)
        user, p = self.request.user, self.participant
        if not may_see_contact(user, p):
            for name in CONTACT_FIELDS:
                form.fields.pop(name, None)  # neither shown nor changed
        if may_name_staff(user, p, self.participant_centre_ids):
            form.fields[STAFF_FIELD] = forms.ModelMultipleChoiceField(
                label=_("Staff who may see the protected identity"), required=False,
                queryset=actions.protected_identity_candidates(p),
                initial=list(p.protected_identity_staff.values_list("pk", flat=True)),
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Only they see address and contact details and find the person "
                            "in lists and searches."))
            form.fieldsets = [*form.fieldsets,  # type: ignore[attr-defined]
                              (_("Protected identity"), [STAFF_FIELD])]
        return form

    @transaction.atomic
    def run_action(self, form: BaseForm) -> Participant:
        data = dict(form.cleaned_data)
        languages = list(data.pop("languages", []))
        staff = data.pop(STAFF_FIELD, None)
        participant = actions.update_participant(
            actor=self.request.user, participant=self.participant, languages=languages, **data)
        if staff is not None:
            actions.set_protected_identity_staff(actor=self.request.user,
                                                 participant=participant, staff=list(staff))
        return participant


class ReferralAddView(ScopedParticipantMixin, ActionFormView):
    form_class = ReferralForm
    template_name = FORM_TEMPLATE
    submit_label = gettext_lazy("Save referral")
    success_message = gettext_lazy("The referral has been registered.")

    def check_access(self) -> None:
        super().check_access()
        user = self.request.user
        if not (user.can(Capability.MANAGE_REFERRALS) or user.can(Capability.REFER)):
            raise PermissionDenied

    def get_title(self) -> str:
        return _("New referral for %(name)s") % {"name": self.participant}

    def run_action(self, form: BaseForm) -> Referral:
        return actions.create_referral(actor=self.request.user, participant=self.participant,
                                       **form.cleaned_data)


class NextUrlMixin:
    """Return to a local `?next=` URL (e.g. the referral list) instead of the default."""

    request: Any

    def next_url(self) -> str | None:
        target = self.request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(
                target, allowed_hosts={self.request.get_host()},
                require_https=self.request.is_secure()):
            return target
        return None

    def get_success_url(self) -> str:
        return self.next_url() or super().get_success_url()  # type: ignore[misc]

    def get_cancel_url(self) -> str | None:
        return self.next_url() or super().get_cancel_url()  # type: ignore[misc]


class ReferralContactAddView(NextUrlMixin, ScopedObjectMixin, ActionFormView):
    model = Referral
    capability = Capability.MANAGE_REFERRALS
    select_related = ("participant", "centre")
    form_class = ReferralContactForm
    template_name = FORM_TEMPLATE
    submit_label = gettext_lazy("Save contact")
    success_message = gettext_lazy("The contact has been recorded.")

    def get_title(self) -> str:
        return _("Contact on the referral of %(name)s") % {"name": self.participant}

    def get_subtitle(self) -> str:
        return _("Referred to %(centre)s on %(date)s.") % {
            "centre": self.object.centre, "date": self.object.referred_on.isoformat()}

    def run_action(self, form: BaseForm) -> Any:
        return actions.record_contact(actor=self.request.user, referral=self.object,
                                      **form.cleaned_data)


class ReferralCloseView(NextUrlMixin, ScopedObjectMixin, ActionFormView):
    model = Referral
    capability = Capability.MANAGE_REFERRALS
    select_related = ("participant", "centre")
    form_class = ReferralCloseForm
    template_name = FORM_TEMPLATE
    submit_label = gettext_lazy("Close referral")
    success_message = gettext_lazy("The referral has been closed.")

    def get_title(self) -> str:
        return _("Close the referral of %(name)s") % {"name": self.participant}

    def get_subtitle(self) -> str:
        return _("Close a referral that will not lead to an enrolment, with the reason, so "
                 "that nobody is lost between referral and start.")

    def run_action(self, form: BaseForm) -> Any:
        return actions.close_referral(actor=self.request.user, referral=self.object,
                                      **form.cleaned_data)


class ReferralListView(AccessMixin, TemplateView):
    """Open referrals at my centres, oldest first: who is waiting, for how long, and how
    often we have tried to reach them. Team members without referral work see the list
    without its actions; a referring officer sees the ones they sent."""

    template_name = "people/referral_list.html"

    def check_access(self) -> None:
        user = self.request.user
        if not (user.can(Capability.VIEW_PARTICIPANTS) or user.can(Capability.REFER)):
            raise PermissionDenied

    def get_queryset(self) -> QuerySet[Referral]:
        user = self.request.user
        # Visible people only: the officer's clients while consent is valid, and protected
        # identities only for their named staff.
        qs = scoped(Referral.objects.filter(status=ReferralStatus.OPEN), "participant", user,
                    listing=True)
        if user.can(Capability.VIEW_PARTICIPANTS):
            scope = user.centre_ids_with(Capability.VIEW_PARTICIPANTS)
            if scope is not None:
                qs = qs.filter(centre_id__in=scope)
        else:
            qs = qs.filter(referrer_user=user)
        return (qs.select_related("participant", "centre", "programme")
                .annotate(attempts=Count("contacts",
                                         filter=Q(contacts__kind=ContactKind.ATTEMPT)),
                          meetings=Count("contacts",
                                         filter=Q(contacts__kind=ContactKind.MEETING)),
                          last_contact=Max("contacts__occurred_on"))
                .order_by("referred_on", "pk"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        referrals = list(self.get_queryset())
        warn_before = today - timedelta(days=REFERRAL_WAIT_WARNING_DAYS)
        manage = self.request.user.centre_ids_with(Capability.MANAGE_REFERRALS)
        for r in referrals:
            r.days_waiting = (today - r.referred_on).days
            r.long_wait = r.referred_on < warn_before
            r.can_manage = manage is None or r.centre_id in manage
        context.update(referrals=referrals, today=today,
                       manage=any(r.can_manage for r in referrals),
                       warn_days=REFERRAL_WAIT_WARNING_DAYS,
                       next_url=self.request.get_full_path())
        return context
