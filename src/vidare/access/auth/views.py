"""Login, the second factor (enter a code, set up the app, backup codes) and the account page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import otp
from .forms import CodeForm, PasswordChangeForm

WRONG_CODE = gettext_lazy("The code is wrong or has expired. Enter the code your "
                          "authenticator app shows now.")
WAIT = gettext_lazy("Too many wrong codes in a row. Wait a minute, then try again with a new "
                    "code.")


class LoginView(auth_views.LoginView):
    """The password step. A correct password logs the account in, but every page stays
    closed until the second factor is passed (SecondFactorMiddleware)."""

    template_name = "access/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        otp.forget_second_factor(self.request)
        return super().form_valid(form)

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if otp.second_factor_done(self.request):
            return url
        return otp.second_factor_url(self.request.user, url)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = settings.VIDARE_OIDC_ENABLED
        return context


class SecondFactorStep(LoginRequiredMixin, FormView):
    """A page on the way to a verified session; `next` is carried through."""

    form_class = CodeForm

    def next_url(self) -> str:
        return otp.safe_next(self.request)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next"] = self.next_url()
        return context

    def code_error(self, form: Form, waiting: bool) -> HttpResponse:
        form.add_error("code", WAIT if waiting else WRONG_CODE)
        return self.form_invalid(form)


class VerifyView(SecondFactorStep):
    template_name = "access/otp_verify.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            if otp.second_factor_done(request):
                return redirect(self.next_url())
            if not otp.has_second_factor(request.user):
                return redirect(otp.with_next(reverse("access:otp_enrol"),
                                              request.GET.get("next")))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(),
                "help_text": _("Six digits from your authenticator app, or one of your "
                               "backup codes.")}

    def form_valid(self, form: Form) -> HttpResponse:
        check = otp.verify_code(self.request.user, form.cleaned_data["code"])
        if check.device is None:
            return self.code_error(form, check.waiting)
        otp_login(self.request, check.device)
        if isinstance(check.device, StaticDevice):
            messages.warning(self.request, _(
                "You logged in with a backup code; it cannot be used again. You have "
                "%(left)s left. Make new ones, or set up your app again, on your account "
                "page.") % {"left": otp.backup_codes_left(self.request.user)})
        return redirect(self.next_url())


class EnrolView(SecondFactorStep):
    """Set up an authenticator app: scan the QR code, confirm with a code. Open to an
    account without any second factor (its first login) and to a verified session
    (replacing the app); an unverified session of an account that has one must use it."""

    template_name = "access/otp_enrol.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (request.user.is_authenticated and otp.has_second_factor(request.user)
                and not otp.second_factor_done(request)):
            return redirect(otp.with_next(reverse("access:otp_verify"),
                                          request.GET.get("next")))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "numeric": True,
                "help_text": _("The six digits the app shows for Vidare.")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        device = otp.pending_app_device(self.request.user)
        context.update(qr_svg=otp.qr_svg(device.config_url),
                       secret=otp.grouped_secret(device),
                       replacing=otp.app_device(self.request.user) is not None)
        return context

    def form_valid(self, form: Form) -> HttpResponse:
        device = otp.pending_app_device(self.request.user)
        check = otp.confirm_app(self.request, device, form.cleaned_data["code"])
        if check.device is None:
            return self.code_error(form, check.waiting)
        messages.success(self.request, _("Your authenticator app is set up."))
        return redirect(otp.with_next(reverse("access:backup_codes"), self.next_url()))


class BackupCodesView(LoginRequiredMixin, TemplateView):
    """New backup codes are shown once, right after they are made; afterwards only how many
    are left, and a button to replace them all."""

    template_name = "access/backup_codes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(codes=self.request.session.pop(otp.NEW_BACKUP_CODES_SESSION_KEY, None),
                       left=otp.backup_codes_left(self.request.user),
                       next=otp.safe_next(self.request))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        request.session[otp.NEW_BACKUP_CODES_SESSION_KEY] = otp.new_backup_codes(request.user)
        return redirect(otp.with_next(reverse("access:backup_codes"), request.POST.get("next")))


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "access/account.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(app=otp.app_device(self.request.user),
                       backup_codes_left=otp.backup_codes_left(self.request.user))
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django keeps this session (update_session_auth_hash); every other session of the
    account fails its session hash check on the next request and is logged out."""

    form_class = PasswordChangeForm
    template_name = "vidare/form.html"
    success_url = reverse_lazy("access:account")
    extra_context = {"title": gettext_lazy("Change password"),
                     "submit_label": gettext_lazy("Change password"),
                     "cancel_url": reverse_lazy("access:account")}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.request.user.password_change_required:  # type: ignore[union-attr]
            context["subtitle"] = _("Your administrator gave you a temporary password. Choose "
                                    "your own before you go on.")
            context["cancel_url"] = None
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        if user.password_change_required:
            user.password_change_required = False
            user.save(update_fields=["password_change_required"])
        messages.success(self.request, _("Your password has been changed. Every other "
                                         "session of your account has been logged out."))
        return response
