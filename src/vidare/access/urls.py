from django.contrib.auth import views as auth_views
from django.urls import path

from . import review_views, rights_views, staff_views
from .auth import oidc
from .auth import views as auth

app_name = "access"

urlpatterns = [
    path("logga-in/", auth.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("logga-in/kod/", auth.VerifyView.as_view(), name="otp_verify"),
    path("logga-in/autentiseringsapp/", auth.EnrolView.as_view(), name="otp_enrol"),
    path("konto/", auth.AccountView.as_view(), name="account"),
    path("konto/reservkoder/", auth.BackupCodesView.as_view(), name="backup_codes"),
    path("konto/losenord/", auth.PasswordChangeView.as_view(), name="password_change"),
    # The redirect URI to register at the identity provider: https://<host>/oidc/callback/
    path("oidc/logga-in/", oidc.OIDCStartView.as_view(), name="oidc_start"),
    path("oidc/callback/", oidc.OIDCCallbackView.as_view(), name="oidc_callback"),
    path("behorighet/registerutdrag/<int:pk>/", rights_views.RegisterExtractView.as_view(),
         name="extract"),
    path("behorighet/atkomstlogg/", review_views.AccessLogReviewView.as_view(),
         name="log_review"),
    path("behorighet/atkomstlogg/export/", review_views.AccessLogExportView.as_view(),
         name="log_export"),
    # The system administrator: staff accounts and roles.
    path("administration/personal/", staff_views.StaffListView.as_view(), name="staff_list"),
    path("administration/personal/ny/", staff_views.StaffAddView.as_view(), name="staff_add"),
    path("administration/personal/<int:pk>/", staff_views.StaffDetailView.as_view(),
         name="staff_detail"),
    path("administration/personal/<int:pk>/andra/", staff_views.StaffEditView.as_view(),
         name="staff_edit"),
    path("administration/personal/<int:pk>/aktiv/", staff_views.StaffSetActiveView.as_view(),
         name="staff_set_active"),
    path("administration/personal/<int:pk>/losenord/", staff_views.StaffPasswordView.as_view(),
         name="staff_password"),
    path("administration/personal/<int:pk>/andra-faktor/aterstall/",
         staff_views.StaffResetSecondFactorView.as_view(), name="staff_reset_second_factor"),
    path("administration/personal/<int:pk>/roller/ny/",
         staff_views.StaffGrantRoleView.as_view(), name="staff_role_grant"),
    path("administration/personal/roller/<int:pk>/ta-bort/",
         staff_views.StaffRevokeRoleView.as_view(), name="staff_role_revoke"),
]
