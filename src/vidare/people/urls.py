from django.urls import path

from vidare.access.rights_views import ParticipantRestrictionView

from . import consent_views, history_views, views

app_name = "people"

urlpatterns = [
    path("deltagare/", views.ParticipantListView.as_view(), name="participant_list"),
    path("deltagare/ny/", views.ParticipantAddView.as_view(), name="participant_add"),
    path("deltagare/<int:pk>/", views.ParticipantDetailView.as_view(),
         name="participant_detail"),
    path("deltagare/<int:pk>/andra/", views.ParticipantEditView.as_view(),
         name="participant_edit"),
    path("deltagare/<int:pk>/historik/", history_views.ParticipantHistoryView.as_view(),
         name="participant_history"),
    path("deltagare/<int:pk>/begransning/", ParticipantRestrictionView.as_view(),
         name="participant_restriction"),
    path("deltagare/<int:pk>/remiss/ny/", views.ReferralAddView.as_view(), name="referral_add"),
    path("remisser/", views.ReferralListView.as_view(), name="referral_list"),
    path("remisser/<int:pk>/kontakt/", views.ReferralContactAddView.as_view(),
         name="referral_contact_add"),
    path("remisser/<int:pk>/stang/", views.ReferralCloseView.as_view(), name="referral_close"),
    path("deltagare/<int:pk>/samtycke/ny/", consent_views.ConsentAddView.as_view(),
         name="consent_add"),
    path("samtycken/<int:pk>/aterkalla/", consent_views.ConsentWithdrawView.as_view(),
         name="consent_withdraw"),
]
