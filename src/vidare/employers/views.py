"""Pages of the jobbmäklare: my employers, follow-ups due, the employer page with its
contacts, activity history, needs, agreements, vacancies and placements, and the forms to
change them.

The register is municipality-wide: VIEW_EMPLOYERS reads it, MANAGE_EMPLOYERS changes it. A
placement names a participant, so placements are listed only for the participants the user
may see (and may find in a list: protected identities only for their named staff), and the
placement pages are scoped like every participant page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Value, When
from django.forms import BaseForm, model_to_dict
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from vidare.access.log import log_access
from vidare.access.roles import Capability
from vidare.codelists.models import Occupation
from vidare.core.views import AccessMixin, ActionFormView, ScopedObjectMixin
from vidare.people.models import Participant
from vidare.people.scoping import scoped

from . import actions
from .forms import (
    ActivityEditForm,
    ActivityForm,
    AgreementForm,
    ContactForm,
    EmployerForm,
    NeedForm,
    PlacementEditForm,
    PlacementForm,
    search_employers,
)
from .models import (
    Activity,
    Agreement,
    Employer,
    EmployerContact,
    EmployerStatus,
    NeedStatus,
    Placement,
    RecruitmentNeed,
)

UPCOMING_DAYS = 14


def visible_placements(user: Any, qs: QuerySet[Placement] | None = None) -> QuerySet[Placement]:
    """Placements whose participant the user may see and find in a list."""
    qs = Placement.objects.all() if qs is None else qs
    return scoped(qs, "participant", user, listing=True).select_related(
        "participant", "employer", "vacancy")


def safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return None


class RegisterMixin(AccessMixin):
    """A page of the register: the capability anywhere, else 403; the record in the URL (if
    `model` is set), else 404."""

    capability = Capability.VIEW_EMPLOYERS
    model: type[Any] | None = None
    select_related: tuple[str, ...] = ()
    object: Any = None

    def check_access(self) -> None:
        super().check_access()
        if self.model is not None:
            self.object = get_object_or_404(
                self.model._default_manager.select_related(*self.select_related),
                pk=self.kwargs["pk"])

    @property
    def employer(self) -> Employer:
        return self.object if isinstance(self.object, Employer) else self.object.employer

    def get_cancel_url(self) -> str | None:
        return safe_next(self.request) or reverse("employers:employer_detail",
                                                  args=[self.employer.pk])

    def get_success_url(self) -> str:
        return self.get_cancel_url() or reverse("employers:employer_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        if self.object is not None:
            context.setdefault("employer", self.employer)
        context["next"] = safe_next(self.request) or ""
        return context


# --- lists -------------------------------------------------------------------------------------


class EmployerListView(RegisterMixin, TemplateView):
    """My employers (responsible = me), or all with ?alla=1; search and status filter."""

    template_name = "employers/employer_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        params = self.request.GET
        manages = user.can(Capability.MANAGE_EMPLOYERS)
        show_all = params.get("alla") == "1" or not manages
        status = params.get("status", EmployerStatus.ACTIVE)
        if status not in EmployerStatus.values and status != "alla":
            status = EmployerStatus.ACTIVE
        q = params.get("q", "").strip()
        today = timezone.localdate()
        qs = Employer.objects.select_related("responsible", "municipality")
        if not show_all:
            qs = qs.filter(responsible=user)
        if status != "alla":
            qs = qs.filter(status=status)
        qs = search_employers(qs, q).annotate(
            open_needs=Count("needs", filter=Q(needs__status=NeedStatus.OPEN), distinct=True),
            open_vacancies=Count("vacancies", filter=Q(vacancies__status="open"),
                                 distinct=True),
            next_follow_up=Min("activities__follow_up_on",
                               filter=Q(activities__follow_up_done=False)),
        ).order_by("name", "id")
        page = Paginator(qs, self.paginate_by).get_page(params.get("page"))
        keep = params.copy()
        keep.pop("page", None)
        return super().get_context_data(
            page_obj=page, q=q, show_all=show_all, status=status, manages=manages,
            today=today, statuses=[(EmployerStatus.ACTIVE, _("Active")),
                                   (EmployerStatus.INACTIVE, _("Inactive")),
                                   ("alla", _("All"))],
            query_string=keep.urlencode(), **kwargs)


class FollowUpListView(RegisterMixin, TemplateView):
    """Follow-ups due (date today or earlier, not done), the user's own first; then the ones
    coming in the next two weeks."""

    template_name = "employers/follow_ups.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        today = timezone.localdate()
        mine_first = Case(When(Q(by=user) | Q(employer__responsible=user), then=Value(0)),
                          default=Value(1), output_field=IntegerField())
        base = (Activity.objects.filter(follow_up_done=False, follow_up_on__isnull=False)
                .select_related("employer", "by", "employer__responsible")
                .annotate(mine=mine_first))
        due = list(base.filter(follow_up_on__lte=today).order_by("mine", "follow_up_on", "id"))
        upcoming = list(base.filter(follow_up_on__gt=today,
                                    follow_up_on__lte=today + timedelta(days=UPCOMING_DAYS))
                        .order_by("mine", "follow_up_on", "id"))
        return super().get_context_data(
            due=due, upcoming=upcoming, today=today, upcoming_days=UPCOMING_DAYS,
            mine_due=sum(1 for a in due if a.mine == 0),
            manages=user.can(Capability.MANAGE_EMPLOYERS), **kwargs)


# --- the employer page -------------------------------------------------------------------------


class EmployerDetailView(RegisterMixin, TemplateView):
    model = Employer
    select_related = ("responsible", "municipality")
    template_name = "employers/employer_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        employer = self.object
        today = timezone.localdate()
        return super().get_context_data(
            employer=employer, today=today,
            contacts=employer.contacts.all(),
            activities=employer.activities.select_related("by"),
            needs=employer.needs.select_related("occupation"),
            agreements=employer.agreements.all(),
            vacancies=employer.vacancies.select_related("occupation", "municipality")
            .order_by("status", "-created_at"),
            placements=visible_placements(user, employer.placements.all()),
            manages=user.can(Capability.MANAGE_EMPLOYERS),
            places=actions.may_place(user), **kwargs)


# --- forms -------------------------------------------------------------------------------------


class ManageMixin(RegisterMixin):
    capability = Capability.MANAGE_EMPLOYERS
    template_name = "employers/form.html"


class EmployerAddView(ManageMixin, ActionFormView):
    form_class = EmployerForm
    title = gettext_lazy("Register an employer")

    def get_initial(self) -> dict[str, Any]:
        return {"responsible": self.request.user.pk}

    def get_cancel_url(self) -> str | None:
        return reverse("employers:employer_list")

    def run_action(self, form: BaseForm) -> Employer:
        return actions.create_employer(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("employers:employer_detail", args=[self.result.pk])

    def get_success_message(self) -> str:
        return _("%(name)s is registered.") % {"name": self.result.name}


class EmployerEditView(ManageMixin, ActionFormView):
    model = Employer
    form_class = EmployerForm

    def get_title(self) -> str:
        return _("Change %(name)s") % {"name": self.object.name}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def run_action(self, form: BaseForm) -> Employer:
        return actions.update_employer(actor=self.request.user, employer=self.object,
                                       **form.cleaned_data)

    def get_success_message(self) -> str:
        return _("The changes are saved.")


class EmployerChildAddView(ManageMixin, ActionFormView):
    """A form that adds a row under the employer in the URL."""

    model = Employer


class EmployerChildEditView(ManageMixin, ActionFormView):
    """A form that changes a row of an employer (the row is in the URL)."""

    select_related = ("employer",)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}


class ContactAddView(EmployerChildAddView):
    form_class = ContactForm
    title = gettext_lazy("New contact person")
    success_message = gettext_lazy("The contact person is added.")

    def run_action(self, form: BaseForm) -> EmployerContact:
        return actions.add_contact(actor=self.request.user, employer=self.object,
                                   **form.cleaned_data)


class ContactEditView(EmployerChildEditView):
    model = EmployerContact
    form_class = ContactForm
    title = gettext_lazy("Change contact person")
    success_message = gettext_lazy("The contact person is saved.")

    def run_action(self, form: BaseForm) -> EmployerContact:
        return actions.save_contact(actor=self.request.user, employer=self.employer,
                                    contact=self.object, **form.cleaned_data)


class ActivityAddView(EmployerChildAddView):
    form_class = ActivityForm
    title = gettext_lazy("Log an activity")
    success_message = gettext_lazy("The activity is logged.")

    def get_initial(self) -> dict[str, Any]:
        return {"occurred_on": timezone.localdate()}

    def run_action(self, form: BaseForm) -> Activity:
        return actions.log_activity(actor=self.request.user, employer=self.object,
                                    **form.cleaned_data)


class ActivityEditView(EmployerChildEditView):
    model = Activity
    form_class = ActivityEditForm
    title = gettext_lazy("Change activity")
    success_message = gettext_lazy("The activity is saved.")

    def run_action(self, form: BaseForm) -> Activity:
        return actions.update_activity(actor=self.request.user, activity=self.object,
                                       **form.cleaned_data)


class ActivityDoneView(ManageMixin, View):
    """POST: the follow-up of the activity is done."""

    model = Activity
    select_related = ("employer",)
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            actions.mark_follow_up_done(actor=request.user, activity=self.object)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Follow-up with %(name)s marked as done.")
                             % {"name": self.employer.name})
        return HttpResponseRedirect(self.get_success_url())


class NeedFormMixin:
    form_class = NeedForm
    template_name = "employers/need_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["occupations"] = Occupation.objects.filter(level=4).only("code", "name_sv",
                                                                         "name_en")
        return context


class NeedAddView(NeedFormMixin, EmployerChildAddView):
    title = gettext_lazy("New recruitment need")
    success_message = gettext_lazy("The recruitment need is registered.")

    def get_initial(self) -> dict[str, Any]:
        return {"needed_from": timezone.localdate(), "number": 1}

    def run_action(self, form: BaseForm) -> RecruitmentNeed:
        return actions.add_need(actor=self.request.user, employer=self.object,
                                **form.cleaned_data)


class NeedEditView(NeedFormMixin, EmployerChildEditView):
    model = RecruitmentNeed
    title = gettext_lazy("Change recruitment need")
    success_message = gettext_lazy("The recruitment need is saved.")

    def get_initial(self) -> dict[str, Any]:
        # The occupation as "code name" in the text box, not the row's id.
        return {"occupation": self.object.occupation}

    def run_action(self, form: BaseForm) -> RecruitmentNeed:
        return actions.update_need(actor=self.request.user, need=self.object,
                                   **form.cleaned_data)


class AgreementAddView(EmployerChildAddView):
    form_class = AgreementForm
    title = gettext_lazy("New agreement")
    success_message = gettext_lazy("The agreement is registered.")

    def run_action(self, form: BaseForm) -> Agreement:
        return actions.add_agreement(actor=self.request.user, employer=self.object,
                                     **form.cleaned_data)


class AgreementEditView(EmployerChildEditView):
    model = Agreement
    form_class = AgreementForm
    title = gettext_lazy("Change agreement")
    success_message = gettext_lazy("The agreement is saved.")

    def run_action(self, form: BaseForm) -> Agreement:
        return actions.save_agreement(actor=self.request.user, employer=self.employer,
                                      agreement=self.object, **form.cleaned_data)


# --- placements --------------------------------------------------------------------------------


class PlacementAddView(RegisterMixin, ActionFormView):
    """Record a placement with the employer in the URL. The participant is named by identity
    number and must be one the user may see; ?deltagare=<id> fills it in (from matching)."""

    model = Employer
    template_name = "employers/form.html"
    form_class = PlacementForm
    title = gettext_lazy("Record a placement")
    success_message = gettext_lazy("The placement is recorded.")

    def check_access(self) -> None:
        super().check_access()
        if not actions.may_place(self.request.user):
            raise PermissionDenied

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "employer": self.object}

    def get_initial(self) -> dict[str, Any]:
        initial: dict[str, Any] = {"starts_on": timezone.localdate()}
        vacancy = self.request.GET.get("ledigt_jobb", "")
        if vacancy.isdigit() and self.object.vacancies.filter(pk=vacancy).exists():
            initial["vacancy"] = int(vacancy)
        pk = self.request.GET.get("deltagare", "")
        if pk.isdigit() and len(pk) < 19 and self.request.method == "GET":
            person = (Participant.objects.visible_to(self.request.user, listing=True)
                      .filter(pk=pk).first())
            if person is not None:
                log_access(self.request, person, "employers:placement_add")
                initial["participant"] = person.formatted_identity_number
        return initial

    def run_action(self, form: BaseForm) -> Placement:
        return actions.record_placement(actor=self.request.user, employer=self.object,
                                        **form.cleaned_data)


class PlacementEditView(ScopedObjectMixin, ActionFormView):
    """Change a placement (e.g. the day it ended): scoped through its participant."""

    model = Placement
    select_related = ("employer", "participant")
    template_name = "employers/form.html"
    form_class = PlacementEditForm
    success_message = gettext_lazy("The placement is saved.")

    capability = Capability.MATCH  # or MANAGE_EMPLOYERS: see has_capability

    def has_capability(self, capability: Capability) -> bool:
        return actions.may_place(self.request.user)

    def get_title(self) -> str:
        return _("Placement of %(name)s") % {"name": self.object.participant.full_name}

    def get_subtitle(self) -> str:
        return str(self.object.employer.name)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_initial(self) -> dict[str, Any]:
        return model_to_dict(self.object, fields=["kind", "starts_on", "ends_on", "vacancy",
                                                  "note"])

    def get_cancel_url(self) -> str | None:
        return safe_next(self.request) or reverse("employers:employer_detail",
                                                  args=[self.object.employer_id])

    def get_success_url(self) -> str:
        return self.get_cancel_url() or "/"

    def run_action(self, form: BaseForm) -> Placement:
        return actions.update_placement(actor=self.request.user, placement=self.object,
                                        **form.cleaned_data)
