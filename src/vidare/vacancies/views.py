"""Vacancy pages: the list with filters, one vacancy, and the forms to create, change and
close one. Part of the employer register: VIEW_EMPLOYERS reads, MANAGE_EMPLOYERS writes."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from vidare.access.roles import Capability
from vidare.codelists.choices import Adaptation
from vidare.codelists.models import Occupation
from vidare.core.views import ActionFormView
from vidare.employers.actions import may_place
from vidare.employers.models import Employer, RecruitmentNeed
from vidare.employers.views import RegisterMixin, safe_next, visible_placements

from . import actions
from .forms import VacancyCloseForm, VacancyFilterForm, VacancyForm, occupation_suggestions
from .models import Vacancy, VacancyStatus


def filtered_vacancies(data: dict[str, Any]) -> QuerySet[Vacancy]:
    qs = Vacancy.objects.select_related("employer", "occupation", "municipality")
    if data.get("q"):
        for word in data["q"].split():
            qs = qs.filter(Q(title__icontains=word) | Q(employer__name__icontains=word)
                           | Q(place__icontains=word))
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("occupation"):
        code = data["occupation"]
        # A group at level 1-3 selects every level-4 group under it (codes share the prefix).
        qs = qs.filter(occupation__code__startswith=code)
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("municipality"):
        qs = qs.filter(municipality=data["municipality"])
    return qs.order_by("-created_at", "-id")


class OccupationListMixin:
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["occupations"] = Occupation.objects.filter(level=4).only("code", "name_sv",
                                                                         "name_en")
        return context


class VacancyListView(OccupationListMixin, RegisterMixin, TemplateView):
    template_name = "vacancies/vacancy_list.html"
    paginate_by = 50

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET.copy()
        if "status" not in params:
            params["status"] = VacancyStatus.OPEN
        form = VacancyFilterForm(params, user=self.request.user)
        data = form.cleaned_data if form.is_valid() else {
            k: v for k, v in form.cleaned_data.items() if k not in form.errors}
        page = Paginator(filtered_vacancies(data), self.paginate_by).get_page(
            self.request.GET.get("page"))
        keep = self.request.GET.copy()
        keep.pop("page", None)
        return super().get_context_data(
            form=form, page_obj=page, query_string=keep.urlencode(),
            manages=self.request.user.can(Capability.MANAGE_EMPLOYERS), **kwargs)


class VacancyDetailView(RegisterMixin, TemplateView):
    model = Vacancy
    select_related = ("employer", "need", "need__occupation", "occupation",
                      "occupation_name", "municipality", "created_by")
    template_name = "vacancies/vacancy_detail.html"

    @property
    def employer(self) -> Any:
        return self.object.employer

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        vacancy = self.object
        user = self.request.user
        labels = dict(Adaptation.choices)
        return super().get_context_data(
            vacancy=vacancy, employer=vacancy.employer,
            licences=list(vacancy.driving_licences.all()),
            adaptations=[labels.get(a, a) for a in vacancy.adaptations_offered],
            placements=visible_placements(user, vacancy.placements.all()),
            manages=user.can(Capability.MANAGE_EMPLOYERS), places=may_place(user),
            today=timezone.localdate(), **kwargs)


class VacancyFormMixin(OccupationListMixin):
    form_class = VacancyForm
    template_name = "vacancies/vacancy_form.html"
    request: HttpRequest
    object: Any

    def title_for_suggestions(self) -> str:
        if self.request.method == "POST":
            if (self.request.POST.get("occupation") or "").strip():
                return ""
            return self.request.POST.get("title", "")
        vacancy = self.object if isinstance(self.object, Vacancy) else None
        if vacancy is not None and vacancy.occupation_id is None:
            return vacancy.title
        return ""

    def form_employer(self) -> Employer | None:
        return None

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["suggestions"] = occupation_suggestions(self.title_for_suggestions())
        kwargs["employer"] = self.form_employer()
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["suggested"] = bool(getattr(form, "suggestions", None))
        return context


class VacancyAddView(VacancyFormMixin, RegisterMixin, ActionFormView):
    """New vacancy; ?arbetsgivare=<id> fills in the employer, ?behov=<id> the recruitment
    need (employer, occupation, number, start)."""

    capability = Capability.MANAGE_EMPLOYERS
    title = gettext_lazy("New vacancy")

    def need(self) -> RecruitmentNeed | None:
        pk = self.request.GET.get("behov", "")
        if not pk.isdigit() or len(pk) > 18:
            return None
        return RecruitmentNeed.objects.select_related("employer", "occupation").filter(
            pk=pk).first()

    def form_employer(self) -> Employer | None:
        need = self.need()
        if need is not None:
            return need.employer
        pk = self.request.GET.get("arbetsgivare", "") or self.request.POST.get("employer", "")
        if pk.isdigit() and len(pk) <= 18:
            return Employer.objects.filter(pk=pk).first()
        return None

    def get_initial(self) -> dict[str, Any]:
        need = self.need()
        if need is not None:
            return {"employer": need.employer_id, "need": need.pk,
                    "occupation": need.occupation, "positions": need.number,
                    "start_date": need.needed_from, "title": need.occupation.name,
                    "extent_adaptable": need.can_adapt}
        employer = self.form_employer()
        initial: dict[str, Any] = {}
        if employer is not None:
            initial.update(employer=employer.pk, municipality=employer.municipality_id,
                           place=", ".join(p for p in (employer.name, employer.city) if p))
        return initial

    def get_cancel_url(self) -> str | None:
        employer = self.form_employer()
        if employer is not None:
            return reverse("employers:employer_detail", args=[employer.pk])
        return reverse("vacancies:vacancy_list")

    def run_action(self, form: BaseForm) -> Vacancy:
        return actions.create_vacancy(actor=self.request.user,
                                      **form.action_fields())  # type: ignore[attr-defined]

    def get_success_url(self) -> str:
        return reverse("vacancies:vacancy_detail", args=[self.result.pk])

    def get_success_message(self) -> str:
        return _("The vacancy “%(title)s” is registered.") % {"title": self.result.title}


class VacancyEditView(VacancyFormMixin, RegisterMixin, ActionFormView):
    capability = Capability.MANAGE_EMPLOYERS
    model = Vacancy
    select_related = ("employer", "occupation")

    @property
    def employer(self) -> Any:
        return self.object.employer

    def get_title(self) -> str:
        return _("Change vacancy: %(title)s") % {"title": self.object.title}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_initial(self) -> dict[str, Any]:
        return {"occupation": self.object.occupation}

    def get_cancel_url(self) -> str | None:
        return safe_next(self.request) or reverse("vacancies:vacancy_detail",
                                                  args=[self.object.pk])

    def run_action(self, form: BaseForm) -> Vacancy:
        return actions.update_vacancy(actor=self.request.user, vacancy=self.object,
                                      **form.action_fields())  # type: ignore[attr-defined]

    def get_success_message(self) -> str:
        return _("The vacancy is saved.")


class VacancyCloseView(RegisterMixin, ActionFormView):
    capability = Capability.MANAGE_EMPLOYERS
    model = Vacancy
    select_related = ("employer",)
    form_class = VacancyCloseForm
    template_name = "employers/form.html"
    submit_label = gettext_lazy("Close the vacancy")

    @property
    def employer(self) -> Any:
        return self.object.employer

    def get_title(self) -> str:
        return _("Close vacancy: %(title)s") % {"title": self.object.title}

    def get_subtitle(self) -> str:
        return _("A closed vacancy is no longer offered in matching.")

    def get_cancel_url(self) -> str | None:
        return reverse("vacancies:vacancy_detail", args=[self.object.pk])

    def run_action(self, form: BaseForm) -> Vacancy:
        return actions.close_vacancy(actor=self.request.user, vacancy=self.object,
                                     status=form.cleaned_data["status"])

    def get_success_message(self) -> str:
        return _("The vacancy is closed.")
