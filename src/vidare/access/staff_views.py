"""The system administrator's pages for staff accounts and roles (administration/personal/).

Every page needs MANAGE_USERS (403 otherwise) and shows no participant data. Forms validate
and hand over to the actions in staff.py, which check the rules and write the history;
state changes are POST only (with CSRF).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from vidare.core.forms import VidareForm
from vidare.core.views import AccessMixin, ActionFormView
from vidare.organisation.models import Centre

from . import staff
from .auth import otp
from .models import Membership, User
from .roles import MUNICIPALITY_WIDE_ROLES, Capability, Role

ACTIVE_FILTERS = (("1", gettext_lazy("Active")), ("0", gettext_lazy("Inactive")),
                  ("alla", gettext_lazy("All")))


# --- forms -------------------------------------------------------------------------------------


class StaffForm(VidareForm):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150,
                               help_text=gettext_lazy("Letters, digits and @ . + - _; the "
                                                      "same as in the municipality's "
                                                      "identity provider when logins go "
                                                      "through it."))
    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    email = forms.CharField(label=gettext_lazy("E-mail"), max_length=254, required=False)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100, required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)


class StaffAddForm(StaffForm):
    password = forms.CharField(
        label=gettext_lazy("Temporary password"), required=False, strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 12 characters. Give it to the person in a safe "
                               "way; they must change it at their first login. Leave empty "
                               "if they log in through the municipality's identity "
                               "provider."))


class PasswordForm(VidareForm):
    password = forms.CharField(
        label=gettext_lazy("New temporary password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 12 characters, not a common password and not like "
                               "the name or username."))
    password2 = forms.CharField(
        label=gettext_lazy("The same password again"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password2") is not None and \
                data["password"] != data["password2"]:
            self.add_error("password2", ValidationError(
                _("The two passwords are not the same."), code="password_mismatch"))
        return data


class GrantRoleForm(VidareForm):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    centre = forms.ModelChoiceField(
        label=gettext_lazy("Centre"), required=False, queryset=Centre.objects.none(),
        to_field_name="code", empty_label=gettext_lazy("– whole municipality –"),
        help_text=gettext_lazy("Empty for the municipality-wide roles (analyst, social "
                               "assistance officer, system administrator); a centre for "
                               "every other role."))

    def setup_fields(self) -> None:
        self.fields["centre"].queryset = Centre.objects.filter(active=True)  # type: ignore[attr-defined]


# --- access ------------------------------------------------------------------------------------


class StaffMixin(AccessMixin):
    """MANAGE_USERS anywhere, else 403; the account (or membership) in the URL, else 404."""

    capability = Capability.MANAGE_USERS
    model: type[Any] | None = None
    object: Any = None
    template_name = "access/staff_form.html"

    def check_access(self) -> None:
        super().check_access()
        if self.model is not None:
            self.object = get_object_or_404(self.model._default_manager.all(),
                                            pk=self.kwargs["pk"])

    @property
    def member(self) -> User:
        return self.object if isinstance(self.object, User) else self.object.user

    def get_cancel_url(self) -> str | None:
        if self.object is None:
            return reverse("access:staff_list")
        return reverse("access:staff_detail", args=[self.member.pk])

    def get_success_url(self) -> str:
        return self.get_cancel_url() or reverse("access:staff_list")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        if self.object is not None:
            context.setdefault("member", self.member)
        return context


def roles_prefetch() -> Prefetch:
    return Prefetch("memberships", queryset=Membership.objects.select_related("centre")
                    .order_by("centre__name", "role"))


# --- pages -------------------------------------------------------------------------------------


class StaffListView(StaffMixin, TemplateView):
    """Every member of staff with their roles per centre; search by name or username, filter
    by centre, role and active."""

    template_name = "access/staff_list.html"
    paginate_by = 50

    def filtered(self) -> tuple[QuerySet[User], dict[str, str]]:
        params = self.request.GET
        chosen = {"q": params.get("q", "").strip(), "centre": params.get("centre", ""),
                  "role": params.get("role", ""), "active": params.get("active", "1")}
        qs = User.objects.all()
        if chosen["q"]:
            for word in chosen["q"].split():
                qs = qs.filter(Q(username__icontains=word) | Q(first_name__icontains=word)
                               | Q(last_name__icontains=word) | Q(email__icontains=word))
        if chosen["role"] in Role.values and chosen["centre"]:
            qs = qs.filter(memberships__role=chosen["role"],
                           memberships__centre__code=chosen["centre"])
        elif chosen["role"] in Role.values:
            qs = qs.filter(memberships__role=chosen["role"])
        elif chosen["centre"]:
            qs = qs.filter(memberships__centre__code=chosen["centre"])
        if chosen["role"] not in Role.values:
            chosen["role"] = ""
        if chosen["active"] == "1":
            qs = qs.filter(is_active=True)
        elif chosen["active"] == "0":
            qs = qs.filter(is_active=False)
        else:
            chosen["active"] = "alla"
        return (qs.distinct().prefetch_related(roles_prefetch())
                .order_by("last_name", "first_name", "username")), chosen

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        qs, chosen = self.filtered()
        page = Paginator(qs, self.paginate_by).get_page(self.request.GET.get("page"))
        keep = self.request.GET.copy()
        keep.pop("page", None)
        return super().get_context_data(
            page_obj=page, chosen=chosen, centres=Centre.objects.order_by("name"),
            roles=Role.choices, active_filters=ACTIVE_FILTERS,
            query_string=keep.urlencode(), **kwargs)


class StaffDetailView(StaffMixin, TemplateView):
    """One member: account, roles (revoke), give a role, active, second factor, password,
    and the history of roles and account changes (who did what when)."""

    model = User
    template_name = "access/staff_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        member = self.object
        role_history = (Membership.history.filter(user_id=member.pk)
                        .select_related("history_user", "centre")
                        .order_by("-history_date", "-history_id")[:50])
        account_history = (member.history.select_related("history_user")
                           .order_by("-history_date", "-history_id")[:50])
        return super().get_context_data(
            member=member,
            memberships=member.memberships.select_related("centre").order_by(
                "centre__name", "role"),
            grant_form=GrantRoleForm(user=self.request.user),
            password_form=PasswordForm(user=self.request.user),
            app=otp.app_device(member), backup_codes_left=otp.backup_codes_left(member),
            is_self=member.pk == self.request.user.pk,
            history=sorted([("role", h) for h in role_history]
                           + [("account", h) for h in account_history],
                           key=lambda item: (item[1].history_date, item[1].history_id),
                           reverse=True),
            wide_roles=sorted(r.value for r in MUNICIPALITY_WIDE_ROLES), **kwargs)


class StaffAddView(StaffMixin, ActionFormView):
    form_class = StaffAddForm
    title = gettext_lazy("Add a member of staff")
    submit_label = gettext_lazy("Add")

    def run_action(self, form: BaseForm) -> User:
        data = dict(form.cleaned_data)
        data["password"] = data.get("password") or None
        return staff.create_staff(actor=self.request.user, **data)

    def get_success_url(self) -> str:
        return reverse("access:staff_detail", args=[self.result.pk])

    def get_success_message(self) -> str:
        return _("%(name)s is added. Give them a role below.") % {"name": self.result}


class StaffEditView(StaffMixin, ActionFormView):
    model = User
    form_class = StaffForm
    success_message = gettext_lazy("The changes are saved.")

    def get_title(self) -> str:
        return _("Change %(name)s") % {"name": self.object}

    def get_initial(self) -> dict[str, Any]:
        return {name: getattr(self.object, name) for name in staff.STAFF_FIELDS}

    def run_action(self, form: BaseForm) -> User:
        return staff.update_staff(actor=self.request.user, user=self.object,
                                  **form.cleaned_data)


class StaffGrantRoleView(StaffMixin, ActionFormView):
    """Give a role (the form is also on the detail page, which posts here)."""

    model = User
    form_class = GrantRoleForm
    submit_label = gettext_lazy("Give the role")

    def get_title(self) -> str:
        return _("Give %(name)s a role") % {"name": self.object}

    def run_action(self, form: BaseForm) -> Membership:
        return staff.grant_role(actor=self.request.user, user=self.object,
                                role=form.cleaned_data["role"],
                                centre=form.cleaned_data.get("centre"))

    def get_success_message(self) -> str:
        membership = self.result
        return _("%(name)s now has the role %(role)s (%(where)s).") % {
            "name": self.object, "role": membership.get_role_display(),
            "where": membership.centre or _("whole municipality")}


class StaffPasswordView(StaffMixin, ActionFormView):
    """Set a temporary password (the form is also on the detail page, which posts here)."""

    model = User
    form_class = PasswordForm
    submit_label = gettext_lazy("Set the password")
    success_message = gettext_lazy("The password is set. Give it to the person in a safe way; "
                                   "their open sessions have ended.")

    def get_title(self) -> str:
        return _("Temporary password for %(name)s") % {"name": self.object}

    def run_action(self, form: BaseForm) -> User:
        return staff.set_password(actor=self.request.user, user=self.object,
                                  password=form.cleaned_data["password"])


class StaffPostView(StaffMixin, View):
    """A button on the detail page: POST only; an action's refusal becomes an error message."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            message = self.act()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, message)
        return HttpResponseRedirect(self.get_success_url())

    def act(self) -> str:
        raise NotImplementedError


class StaffSetActiveView(StaffPostView):
    model = User

    def act(self) -> str:
        active = self.request.POST.get("active") == "1"
        staff.set_active(actor=self.request.user, user=self.object, active=active)
        if active:
            return _("%(name)s is active and can log in.") % {"name": self.object}
        return _("%(name)s is deactivated and can no longer log in.") % {"name": self.object}


class StaffResetSecondFactorView(StaffPostView):
    model = User

    def act(self) -> str:
        staff.reset_second_factor(actor=self.request.user, user=self.object)
        return _("The authenticator app and backup codes of %(name)s are removed; at their "
                 "next login they set up a new app.") % {"name": self.object}


class StaffRevokeRoleView(StaffPostView):
    model = Membership

    def act(self) -> str:
        text = {"role": self.object.get_role_display(),
                "where": self.object.centre or _("whole municipality"),
                "name": self.object.user}
        staff.revoke_role(actor=self.request.user, membership=self.object)
        return _("%(name)s no longer has the role %(role)s (%(where)s).") % text
